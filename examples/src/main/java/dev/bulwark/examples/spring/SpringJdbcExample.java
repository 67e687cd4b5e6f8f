package dev.bulwark.examples.spring;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.nio.file.Files;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.sqlite.SQLiteDataSource;

/**
 * A Spring {@code JdbcTemplate} application on a {@link BulwarkDataSource} (spring-jdbc only, no Spring Boot).
 *
 * <p>A {@code JdbcTemplate} built on the BulwarkDataSource gets Bulwark's classification, breaker and eviction
 * on every call. Called inside {@code db.inTransaction(...)}, it joins the unit of work: without a Spring
 * transaction manager, {@code DataSourceUtils.getConnection} asks the DataSource, and Bulwark returns the
 * unit's connection on that thread. So template calls commit with the unit, roll back with it, and are
 * retried with it. (Do not also run a Spring {@code DataSourceTransactionManager} over the same calls: one
 * owner of the transaction.)
 *
 * <pre>
 * ./mvnw -q -ntp -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.spring.SpringJdbcExample
 * </pre>
 *
 * Stateless; {@link #run} is thread-safe.
 */
public final class SpringJdbcExample {

    /**
     * What the example observed.
     *
     * @param rowsAfterCommit           rows after a unit that inserted two through the template committed
     * @param rowsAfterRollback         rows after a unit that inserted one through the template, then failed
     * @param templateSawUncommittedRow whether the template, inside the unit, read a row the unit's own
     *                                  connection had inserted and not committed (same connection)
     * @param sameConnection            whether {@code DataSourceUtils.getConnection} inside the unit returned a
     *                                  connection to the same database session as the unit's own (SQLite: a
     *                                  temporary table created through one is visible through the other)
     * @param rollbackSqlState          the SQLState the failing unit's caller received
     */
    public record Outcome(long rowsAfterCommit, long rowsAfterRollback, boolean templateSawUncommittedRow,
                          boolean sameConnection, String rollbackSqlState) {
    }

    private SpringJdbcExample() {
    }

    /** Runs the example against a SQLite file in a temporary directory. */
    public static void main(String[] args) throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + Files.createTempDirectory("bulwark-spring").resolve("app.db"));
        System.out.println(run(sqlite));
    }

    /**
     * Runs two units of work mixing plain JDBC on the unit's connection and {@code JdbcTemplate} calls: one
     * commits, one fails after its insert and rolls back.
     *
     * @throws SQLException if the database fails
     */
    public static Outcome run(DataSource target) throws SQLException {
        BulwarkDataSource db = Bulwark.wrap(target);
        JdbcTemplate jdbc = new JdbcTemplate(db);
        jdbc.execute("CREATE TABLE IF NOT EXISTS example_event (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)");

        boolean[] seen = new boolean[2];
        db.useTransaction(c -> {
            try (var p = c.prepareStatement("INSERT INTO example_event (id, name) VALUES (1, 'via the unit')")) {
                p.executeUpdate();
            }
            // the template reads on the unit's connection, so it sees the uncommitted row
            Integer count = jdbc.queryForObject("SELECT count(*) FROM example_event WHERE id = 1", Integer.class);
            seen[0] = count != null && count == 1;
            jdbc.update("INSERT INTO example_event (id, name) VALUES (?, ?)", 2, "via JdbcTemplate");
            var springConnection = DataSourceUtils.getConnection(db);
            try {
                seen[1] = sameSession(c, springConnection);
            } finally {
                DataSourceUtils.releaseConnection(springConnection, db);
            }
        });
        long afterCommit = count(jdbc);

        String rollbackSqlState = null;
        try {
            db.inTransaction(c -> {
                jdbc.update("INSERT INTO example_event (id, name) VALUES (?, ?)", 3, "rolled back");
                throw new SQLException("the unit fails after the template's insert", "P0001");
            });
        } catch (SQLException e) {
            rollbackSqlState = e.getSQLState();   // the unit rolled back, taking the template's insert with it
        }
        return new Outcome(afterCommit, count(jdbc), seen[0], seen[1], rollbackSqlState);
    }

    /** Two handles are one session if a temp table created through one is visible through the other. */
    private static boolean sameSession(java.sql.Connection a, java.sql.Connection b) throws SQLException {
        try (var s = a.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS example_session_probe (x INTEGER)");
        }
        try (var s = b.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM sqlite_temp_master WHERE name = 'example_session_probe'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static long count(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM example_event", Long.class);
        return n == null ? 0 : n;
    }
}
