package dev.bulwark.recovery;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/** What the store-and-forward tests share: a fast-failing Bulwark, the writer's config, the rows table. */
final class ForwardFixture {

    /** No key on it: a write applied twice shows as a duplicate row. */
    static final String CREATE_TABLE = "CREATE TABLE sf_rows (k VARCHAR(64) NOT NULL, v INT NOT NULL)";
    static final String INSERT = "INSERT INTO sf_rows (k, v) VALUES (?, ?)";

    private ForwardFixture() {
    }

    /** Bulwark failing fast while the database is down: two attempts, a breaker opening after two calls. */
    static BulwarkDataSource bulwark(DataSource target, String name, CommitResolution resolution) {
        return bulwark(target, name, resolution, true);
    }

    /** The same, with or without the circuit breaker (without it, a drain right after an outage is not refused). */
    static BulwarkDataSource bulwark(DataSource target, String name, CommitResolution resolution, boolean breaker) {
        BulwarkConfig config = BulwarkConfig.builder().withName(name)
                .withText("bulwark.breaker.enabled", Boolean.toString(breaker))
                .withText("bulwark.retry.maxAttempts", "2")
                .withText("bulwark.retry.initialBackoff", "10ms")
                .withText("bulwark.breaker.minimumCalls", "2")
                .withText("bulwark.breaker.slidingWindowSize", "4")
                .withText("bulwark.breaker.waitInOpenState", "200ms")
                .withText("bulwark.timeout.acquire", "3s")
                .withText("bulwark.timeout.total", "10s")
                .withJdbc(JdbcConfig.builder().withCommitResolution(resolution).withCreateCommitLedger(true).build())
                .build();
        return Bulwark.builder(target).withConfig(config).build();
    }

    static StoreAndForwardConfig config(Path journalDirectory) {
        return StoreAndForwardConfig.builder()
                .withJournal(JournalConfig.builder().withDirectory(journalDirectory).build())
                .withWriteDeadline(Duration.ofSeconds(3))
                .withReplayBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
    }

    /** A PostgreSQL data source with short connect timeouts. */
    static DataSource postgres(String url, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(2);
        ds.setLoginTimeout(2);
        return ds;
    }

    /** A SQLite data source that never creates the file: a missing file is SQLITE_CANTOPEN, a real outage. */
    static DataSource sqliteNoCreate(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout(5_000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }

    static long query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
