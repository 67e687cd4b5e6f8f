package dev.bulwark.jdbc.internal;

import dev.bulwark.core.BulwarkConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Prepares every connection a data source lends: SQLite gets {@code busy_timeout} (every time, since a pool
 * may hand out new physical connections) and WAL (once: it is stored in the database file); server
 * databases get a network timeout so that a dead socket cannot hang a call. Thread-safe.
 */
final class ConnectionSetup {

    /** Opens a physical connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private static final Executor DIRECT = Runnable::run;

    private final BulwarkConfig config;
    private volatile Boolean sqlite;
    private volatile boolean walChecked;

    ConnectionSetup(BulwarkConfig config) {
        this.config = config;
    }

    /** Whether the database is SQLite; false until the first connection was prepared. */
    boolean isSqlite() {
        return Boolean.TRUE.equals(sqlite);
    }

    void prepare(Connection c) throws SQLException {
        Boolean isSqlite = sqlite;
        if (isSqlite == null) {
            String product = c.getMetaData().getDatabaseProductName();
            isSqlite = product != null && product.toLowerCase(Locale.ROOT).contains("sqlite");
            sqlite = isSqlite;
        }
        if (isSqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + config.sqlite().busyTimeout().toMillis());
                if (!walChecked && config.sqlite().wal()) {
                    s.execute("PRAGMA journal_mode = WAL");
                    walChecked = true;
                }
            }
            return;
        }
        applyNetworkTimeout(c, config.timeouts().network());
    }

    /** Bounds every socket read of {@code c} by {@code timeout} (zero: no bound); SQLite has no socket. */
    void applyNetworkTimeout(Connection c, Duration timeout) throws SQLException {
        if (isSqlite()) {
            return;
        }
        c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}
