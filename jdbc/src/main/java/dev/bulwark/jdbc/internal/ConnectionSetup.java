package dev.bulwark.jdbc.internal;

import dev.bulwark.core.BulwarkConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Prepares every connection a data source lends: SQLite gets {@code busy_timeout} (every time, since a pool
 * may hand out new physical connections) and WAL (once: it is stored in the database file); PostgreSQL gets
 * the default statement timeout as its {@code statement_timeout}, once per physical connection (see
 * {@link #hasServerStatementTimeout}), but only where Bulwark owns the connections (the {@code jdbc:bulwark:}
 * driver's own target, which closes every connection it lends): a session setting on a pooled connection would
 * stay with it when the pool lends it to code around Bulwark. On a pool's connection Bulwark only reads the
 * session's {@code statement_timeout} (once per physical connection): where the user's own configuration (role,
 * database, URL {@code options}) enforces the default or less, no per-statement timeout is needed. Network
 * timeouts are the session's (see {@code Session#boundNetworkTimeout}). Thread-safe.
 */
final class ConnectionSetup {

    /** Opens a physical connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private static final Executor DIRECT = Runnable::run;
    private static final int UNKNOWN = 0;
    private static final int SQLITE = 1;
    private static final int POSTGRES = 2;
    private static final int OTHER = 3;

    private final BulwarkConfig config;
    private final long statementTimeoutMillis; // 0: none, or not to be enforced by the server
    /**
     * The driver connections whose session carries the default statement timeout server-side. Keyed by the
     * driver's connection, not the pool's proxy, which is new on every borrow.
     */
    private final ConnectionMarks serverTimeout = new ConnectionMarks();
    /** Pool connections whose session was read and found not to enforce the default (not owned: never set). */
    private final ConnectionMarks serverTimeoutChecked = new ConnectionMarks();
    /** The driver connections lent so far (and still open): idle ones are aborted when the server stops answering. */
    private final ConnectionMarks seen = new ConnectionMarks();
    private final boolean ownsConnections;
    private volatile int database = UNKNOWN;
    private volatile boolean walChecked;

    /**
     * @param ownsConnections whether every connection lent is closed for good when released (nobody else
     *        borrows it afterwards), so that session settings cannot leak
     */
    ConnectionSetup(BulwarkConfig config, boolean ownsConnections) {
        this.config = config;
        Duration statement = config.timeouts().statement();
        this.ownsConnections = ownsConnections;
        this.statementTimeoutMillis = statement.isZero() || !config.timeouts().statementOnServer()
                ? 0 : Math.max(1, statement.toMillis());
    }

    /** Whether the database is SQLite; false until the first connection was prepared. */
    boolean isSqlite() {
        return database == SQLITE;
    }

    /** One round trip of set-up. */
    @FunctionalInterface
    interface Step {
        void run() throws SQLException;
    }

    /**
     * Prepares {@code c}; a round trip it needs (the first time a physical connection is seen) reads no later
     * than {@code endsNanos} ({@link System#nanoTime()}; see {@link #withReadBound}).
     */
    void prepare(Connection c, long endsNanos) throws SQLException {
        int db = database;
        if (db == UNKNOWN) {
            String product = c.getMetaData().getDatabaseProductName();
            String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
            db = p.contains("sqlite") ? SQLITE : p.contains("postgresql") ? POSTGRES : OTHER;
            database = db;
        }
        if (db == SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + config.sqlite().busyTimeout().toMillis());
                if (!walChecked && config.sqlite().wal()) {
                    s.execute("PRAGMA journal_mode = WAL");
                    walChecked = true;
                }
            }
            return;
        }
        Connection driver = driverOf(c);
        seen.add(driver);
        if (db == POSTGRES && statementTimeoutMillis > 0) {
            applyServerStatementTimeout(c, driver, endsNanos);
        }
    }

    /**
     * The least wait left for which set-up sends its one optional round trip (PostgreSQL's statement_timeout):
     * with less, a live server's answer could miss the bound and a healthy connection be given up. The
     * connection is then lent without it (its statements carry the per-statement timeout instead) and
     * checked again when next lent.
     */
    static final long SETUP_FLOOR_MILLIS = 100;

    /** What is left until {@code endsNanos}, in milliseconds; at least one. */
    static long millisUntil(long endsNanos) {
        return Math.max(1, (endsNanos - System.nanoTime()) / 1_000_000);
    }

    /**
     * Runs {@code step} with {@code c}'s socket reads bounded by {@code boundMillis} (a tighter bound the connection
     * already has is kept), then puts back the bound it came with. Set-up runs before the session bounds the
     * connection by its caller's deadline, and a pool's connection has no bound of its own (HikariCP's network
     * timeout is the driver's, none by default): a server that stopped answering would hold the caller forever.
     * A driver without network timeouts runs the step as it is.
     */
    static void withReadBound(Connection c, long boundMillis, Step step) throws SQLException {
        int before;
        int bound = (int) Math.max(1, Math.min(Integer.MAX_VALUE, boundMillis));
        try {
            before = c.getNetworkTimeout();
            if (before > 0 && before <= bound) {
                step.run();
                return;
            }
            c.setNetworkTimeout(DIRECT, bound);
        } catch (java.sql.SQLFeatureNotSupportedException | UnsupportedOperationException e) {
            step.run();
            return;
        }
        try {
            step.run();
        } catch (SQLException | RuntimeException failure) {
            try {
                c.setNetworkTimeout(DIRECT, before);
            } catch (SQLException | RuntimeException restore) {
                failure.addSuppressed(restore);
            }
            throw failure;
        }
        c.setNetworkTimeout(DIRECT, before);
    }

    /** The driver connections lent so far that are still remembered (see {@link ConnectionMarks}). */
    void forEachSeen(java.util.function.Consumer<Connection> action) {
        seen.forEach(action);
    }

    /**
     * Whether {@code c}'s session enforces the default statement timeout itself, so that no
     * {@code setQueryTimeout} is needed for it. True only for PostgreSQL connections prepared here in
     * autocommit mode; {@link #forgetServerStatementTimeout} withdraws it.
     */
    boolean hasServerStatementTimeout(Connection c) {
        return database == POSTGRES && statementTimeoutMillis > 0 && serverTimeout.contains(driverOf(c));
    }

    /** The session of {@code c} may have changed its statement timeout: set it again when next lent. */
    void forgetServerStatementTimeout(Connection c) {
        Connection driver = driverOf(c);
        serverTimeout.remove(driver);
        serverTimeoutChecked.remove(driver);
    }

    /**
     * PostgreSQL: {@code setQueryTimeout} makes pgjdbc schedule (and then cancel) a task on its timer thread for
     * every statement, a thread wake-up per statement; the server's {@code statement_timeout} gives the same
     * cancellation (SQLState 57014) for one statement per physical connection. A lower limit already set (by
     * the role, the database or the URL's options) is kept. Only in autocommit mode: in a transaction a SET is
     * undone by a rollback, and such a connection keeps the per-statement timeout instead.
     */
    private void applyServerStatementTimeout(Connection c, Connection driver, long endsNanos) throws SQLException {
        if (serverTimeout.contains(driver) || serverTimeoutChecked.contains(driver) || !c.getAutoCommit()
                || (endsNanos - System.nanoTime()) / 1_000_000 < SETUP_FLOOR_MILLIS) {
            return;
        }
        if (!ownsConnections) {
            // A pool's connection: a SET would stay with it for every later borrower, Bulwark or not. Read only.
            long[] setting = new long[1];
            withReadBound(c, millisUntil(endsNanos), () -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout'")) {
                    setting[0] = rs.next() ? rs.getLong(1) : 0;
                }
            });
            (setting[0] > 0 && setting[0] <= statementTimeoutMillis ? serverTimeout : serverTimeoutChecked).add(driver);
            return;
        }
        withReadBound(c, millisUntil(endsNanos), () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT set_config('statement_timeout', '" + statementTimeoutMillis + "', false) "
                        + "FROM pg_settings WHERE name = 'statement_timeout' "
                        + "AND (setting::bigint = 0 OR setting::bigint > " + statementTimeoutMillis + ")");
            }
        });
        serverTimeout.add(driver);
    }

    /** The driver's connection under a pool's proxy (HikariCP's unwraps to it); {@code c} if it cannot say. */
    static Connection driverOf(Connection c) {
        try {
            Connection driver = c.unwrap(Connection.class);
            return driver == null ? c : driver;
        } catch (SQLException e) {
            return c;
        }
    }

    /**
     * Bounds every socket read of {@code c} by {@code millis} (zero: no bound), through {@code c} as lent (a
     * pool's proxy: HikariCP restores its own value when the connection is returned).
     */
    static void applyNetworkTimeout(Connection c, int millis) throws SQLException {
        c.setNetworkTimeout(DIRECT, millis);
    }
}
