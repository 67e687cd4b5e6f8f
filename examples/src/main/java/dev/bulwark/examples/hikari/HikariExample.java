package dev.bulwark.examples.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Wrapping HikariCP in a plain Java application.
 *
 * <p>The pool is configured as usual; {@code Bulwark.wrap(pool)} puts classification, retries, the breaker and
 * eviction in front of it. Writes run as units of work ({@code inTransaction}): each attempt gets a fresh
 * connection and transaction, and a transient failure reruns the whole unit.
 *
 * <pre>
 * ./mvnw -q -ntp -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.hikari.HikariExample \
 *     [-Dexec.args="jdbc:postgresql://127.0.0.1:5432/test"]
 * </pre>
 *
 * Without an argument it uses a SQLite file in a temporary directory. Stateless; {@link #run} is thread-safe.
 */
public final class HikariExample {

    private HikariExample() {
    }

    /** Runs the example against the URL given, else a temporary SQLite file, and prints the order count. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0]
                : "jdbc:sqlite:" + Files.createTempDirectory("bulwark-hikari").resolve("shop.db");
        System.out.println("orders in the table: " + run(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD")));
    }

    /**
     * Creates a table {@code example_orders} (if missing), inserts three orders, one unit of work each, and
     * returns how many orders the table holds.
     *
     * @throws SQLException the classified failure when a unit could not be completed
     */
    public static long run(String jdbcUrl, String user, String password) throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(4);
        hc.setPoolName("hikari-example");
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            BulwarkDataSource db = Bulwark.wrap(pool);
            db.useTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS example_orders (id INTEGER PRIMARY KEY, item VARCHAR(40) NOT NULL)");
                }
            });
            for (int id = 1; id <= 3; id++) {
                int order = id;
                db.inTransaction(c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO example_orders (id, item) VALUES (?, ?)")) {
                        p.setInt(1, order);
                        p.setString(2, "item " + order);
                        return p.executeUpdate();
                    }
                });
            }
            return db.inTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM example_orders")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
    }
}
