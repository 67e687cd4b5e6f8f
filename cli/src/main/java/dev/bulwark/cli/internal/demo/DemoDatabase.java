package dev.bulwark.cli.internal.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.bulwark.cli.internal.JdbcUrls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Where the demo's bank lives: a SQLite file in a temporary directory (removed at the end), or the
 * server of a JDBC URL the user gave. Each run gets a freshly created bank and a fresh HikariCP pool of
 * {@value #POOL_SIZE} connections.
 *
 * <p>Not thread-safe; used by the demo's main thread.
 */
final class DemoDatabase implements AutoCloseable {

    static final int POOL_SIZE = 4;

    private final String url;
    private final String user;
    private final String password;
    private final Path tempDir;
    private int runs;

    private DemoDatabase(String url, String user, String password, Path tempDir) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.tempDir = tempDir;
    }

    /** An embedded SQLite database in a new temporary directory. */
    static DemoDatabase sqlite() throws IOException {
        return new DemoDatabase(null, null, null, Files.createTempDirectory("bulwark-demo-"));
    }

    /** The server at {@code url}; the demo creates and drops only its own {@code bulwark_demo_*} tables there. */
    static DemoDatabase server(String url, String user, String password) {
        return new DemoDatabase(url, user, password, null);
    }

    /** The database's name for people: the SQLite file, or the URL with credentials masked. */
    String describe() {
        return tempDir != null ? "embedded SQLite, a file in " + tempDir + " (removed at exit)"
                : JdbcUrls.mask(url);
    }

    /**
     * A new database connection source, not pooled; for SQLite a new database file, so each run starts from
     * the same state.
     */
    DataSource newDatabase() {
        runs++;
        Properties props = new Properties();
        if (tempDir != null) {
            props.setProperty("journal_mode", "WAL"); // as Bulwark sets it, so both runs meet the same SQLite
            props.setProperty("busy_timeout", "5000");
            props.setProperty("synchronous", "NORMAL"); // durable in WAL mode, without an fsync per commit
            return new DriverDataSource("jdbc:sqlite:" + tempDir.resolve("bank-" + runs + ".db"), null, props, null, null);
        }
        return new DriverDataSource(JdbcUrls.forDriver(url), null, props, user, password);
    }

    /** A HikariCP pool of {@value #POOL_SIZE} connections made by {@code connections}. */
    static HikariDataSource pool(String name, DataSource connections) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setMaximumPoolSize(POOL_SIZE);
        c.setConnectionTimeout(500); // how long a caller waits for a connection while the database is down
        c.setDataSource(connections);
        return new HikariDataSource(c);
    }

    @Override
    public void close() throws IOException {
        if (tempDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(tempDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
