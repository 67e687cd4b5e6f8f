package dev.bulwark.benchmarks.e2e;

import dev.bulwark.benchmarks.e2e.RecoveryMetrics.Moments;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
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
    /** {@code pg_ctl stop -m fast}, a gap, {@code pg_ctl start}; back when a raw pgjdbc connect succeeds. */
    RESTART("restart"),
    /** {@code pg_terminate_backend} of every client session; back when a raw pgjdbc connect succeeds. */
    SESSION_KILLS("session-kills"),
    /**
     * The primary crashes ({@code pg_ctl stop -m immediate}) and its synchronous standby is promoted at once;
     * clients use the multi-host URL with {@code targetServerType=primary}; back when the promotion completes.
     */
    FAILOVER("failover"),
    /**
     * The primary hangs (SIGSTOP of the postmaster and its children, no error, no reply); after a fixed
     * detection delay its synchronous standby is promoted while the old primary stays frozen; multi-host
     * URL; back when the promotion completes.
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
     */
    Moments inject(Clusters clusters, Duration gap) {
        PostgresCluster primary = clusters.primary();
        long fault = System.nanoTime();
        switch (this) {
            case RESTART -> {
                primary.stop();
                long down = System.nanoTime();
                // pg_ctl start -w notices readiness only on its own polling: connect alongside it instead
                Thread starter = new Thread(() -> {
                    LockSupport.parkNanos(gap.toNanos());
                    primary.start();
                }, "recovery-restart");
                RuntimeException[] failure = new RuntimeException[1];
                starter.setUncaughtExceptionHandler((t, e) -> failure[0] = e instanceof RuntimeException r ? r
                        : new IllegalStateException(e));
                starter.start();
                long back = firstConnect(primary, down);
                join(starter);
                if (failure[0] != null) {
                    throw failure[0];
                }
                return new Moments(fault, down, back);
            }
            case SESSION_KILLS -> {
                primary.terminateSessions();
                return new Moments(fault, fault, firstConnect(primary, fault));
            }
            case FAILOVER -> {
                primary.crash();
                long down = System.nanoTime();
                clusters.standby().promote();
                return new Moments(fault, down, System.nanoTime());
            }
            case HUNG_PRIMARY -> {
                primary.freeze();
                long down = System.nanoTime();
                LockSupport.parkNanos(gap.toNanos());
                clusters.standby().promote();
                return new Moments(fault, down, System.nanoTime());
            }
            default -> throw new IllegalStateException("unknown fault " + this);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the server restarts", e);
        }
    }

    /**
     * When a plain pgjdbc connect (polled every 5 ms, each bounded by one second) first succeeds after
     * {@code since}: the moment the database is back for a client that holds no connection.
     */
    private static long firstConnect(PostgresCluster cluster, long since) {
        Properties p = cluster.connectionProperties();
        p.setProperty("connectTimeout", "1");
        p.setProperty("socketTimeout", "1");
        long limit = since + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < limit) {
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), p)) {
                return System.nanoTime();
            } catch (SQLException e) {
                LockSupport.parkNanos(5_000_000);
            }
        }
        throw new IllegalStateException("the cluster on port " + cluster.port() + " did not come back within 60 s");
    }
}
