package dev.bulwark.benchmarks.e2e;

import dev.bulwark.benchmarks.e2e.RecoveryMetrics.Moments;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * The scripted server faults, each on fresh throw-away clusters ({@link PostgresCluster}): how the
 * clusters are built, the clients' URL, how the fault is injected, and when the database counts as back.
 */
enum RecoveryFault {
    /** {@code pg_ctl stop -m fast}, a gap, {@code pg_ctl start}; back when a plain pgjdbc connect succeeds. */
    RESTART("restart"),
    /**
     * {@code pg_terminate_backend} of every client session (from a connection opened beforehand); back when
     * a plain pgjdbc connect succeeds after it, at once.
     */
    SESSION_KILLS("session-kills"),
    /**
     * The primary crashes ({@code pg_ctl stop -m immediate}) and its synchronous standby is promoted at once;
     * clients use the multi-host URL with {@code targetServerType=primary}; back when a plain pgjdbc connect
     * to the standby with {@code targetServerType=primary} succeeds (the promotion has completed).
     */
    FAILOVER("failover"),
    /**
     * The primary hangs (SIGSTOP of the postmaster and its children, no error, no reply); after a fixed
     * detection delay its synchronous standby is promoted while the old primary stays frozen; multi-host
     * URL; back as for {@link #FAILOVER}.
     */
    HUNG_PRIMARY("hung-primary");

    private final String label;

    RecoveryFault(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The clusters of one run, the URL the clients use (without pgjdbc options), and their cleanup. */
    record Clusters(PostgresCluster primary, PostgresCluster standby, String url) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (standby != null) {
                    standby.close();
                }
            } finally {
                primary.close();
            }
        }
    }

    /** Fresh clusters for this fault, with the {@code writes} table in place (and replicated). */
    Clusters start() throws SQLException {
        boolean replicated = this == FAILOVER || this == HUNG_PRIMARY;
        PostgresCluster primary = PostgresCluster.builder().withSynchronousStandby(replicated).start();
        PostgresCluster standby = null;
        try {
            try (Connection c = primary.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE writes (id BIGSERIAL PRIMARY KEY, client INT NOT NULL, "
                        + "at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
            }
            if (replicated) {
                standby = primary.createStandby();
                return new Clusters(primary, standby, PostgresCluster.multiHostJdbcUrl(primary, standby));
            }
            return new Clusters(primary, null, primary.jdbcUrl());
        } catch (RuntimeException | SQLException e) {
            if (standby != null) {
                standby.close();
            }
            primary.close();
            throw e;
        }
    }

    /**
     * Injects the fault into {@code clusters} and returns once the database is back, with the moments.
     *
     * @param gap how long a restarted server stays down, and how long a hung primary hangs before its
     *     standby is promoted
     * @param admin a connection to the primary opened before the fault, for the session kills (a psql
     *     process would blur the fault's moment by its own start-up)
     */
    Moments inject(Clusters clusters, Duration gap, Connection admin) throws SQLException {
        PostgresCluster primary = clusters.primary();
        PostgresCluster standby = clusters.standby();
        long fault = System.nanoTime();
        switch (this) {
            case RESTART -> {
                primary.stop();
                long down = System.nanoTime();
                return new Moments(fault, down, backWhile(() -> {
                    LockSupport.parkNanos(gap.toNanos());
                    primary.start();
                }, primary.jdbcUrl(), primary));
            }
            case SESSION_KILLS -> {
                try (Statement s = admin.createStatement();
                     // without a timeout: signal them all at once, rather than wait up to 100 ms for each to go
                     ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                             + "FROM pg_stat_activity WHERE application_name = '" + RecoveryStack.APPLICATION_NAME
                             + "' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        throw new IllegalStateException("session kills: no client session to terminate");
                    }
                }
                return new Moments(fault, fault, backWhile(() -> { }, primary.jdbcUrl(), primary));
            }
            case FAILOVER -> {
                primary.crash();
                long down = System.nanoTime();
                return new Moments(fault, down, backWhile(standby::promote, primaryOnly(standby), standby));
            }
            case HUNG_PRIMARY -> {
                primary.freeze();
                long down = System.nanoTime();
                LockSupport.parkNanos(gap.toNanos());
                return new Moments(fault, down, backWhile(standby::promote, primaryOnly(standby), standby));
            }
            default -> throw new IllegalStateException("unknown fault " + this);
        }
    }

    private static String primaryOnly(PostgresCluster node) {
        return node.jdbcUrl() + "?targetServerType=primary";
    }

    /**
     * Runs {@code action} (the server's start, the standby's promotion) on a thread of its own and returns
     * when a plain pgjdbc connect to {@code url} (polled every 5 ms, each bounded by one second) first
     * succeeds: the moment the database is back for a client that holds no connection, observed from the
     * outside rather than when the tool that brought it back noticed.
     */
    private static long backWhile(Runnable action, String url, PostgresCluster cluster) {
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(action, "recovery-fault");
        t.setUncaughtExceptionHandler((thread, e) -> failure[0] = e instanceof RuntimeException r ? r
                : new IllegalStateException(e));
        t.start();
        Properties p = cluster.connectionProperties();
        p.setProperty("connectTimeout", "1");
        p.setProperty("socketTimeout", "1");
        long limit = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long back = 0;
        while (back == 0) {
            try {
                DriverManager.getConnection(url, p).close(); // only whether it connects
                back = System.nanoTime();
            } catch (SQLException e) {
                if (System.nanoTime() > limit) {
                    throw new IllegalStateException("the cluster on port " + cluster.port()
                            + " did not come back within 60 s", e);
                }
                LockSupport.parkNanos(5_000_000);
            }
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the database comes back", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return back;
    }
}
