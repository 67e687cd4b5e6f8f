package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.PgInstallation;
import dev.bulwark.testkit.internal.PgProcessTree;
import dev.bulwark.testkit.internal.PgReaper;
import dev.bulwark.testkit.internal.PgServer;
import dev.bulwark.testkit.internal.PgSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away PostgreSQL server of its own, for tests that must restart, crash, hang or fail over a
 * database: never the shared server. Each cluster lives in a fresh temporary directory and listens on a
 * free port on {@code 127.0.0.1}; {@link #close()} stops it and deletes everything.
 *
 * <pre>{@code
 * try (PostgresCluster primary = PostgresCluster.builder().withSynchronousStandby(true).start();
 *      PostgresCluster standby = primary.createStandby()) {
 *     primary.crash();
 *     standby.promote();
 *     String url = PostgresCluster.multiHostJdbcUrl(primary, standby); // finds the new primary
 *     primary.rewindAsStandbyOf(standby);
 * }
 * }</pre>
 *
 * <p>The server runs as the OS user {@code postgres} (through {@code runuser}) when the JVM runs as root,
 * as the JVM's own user otherwise. Binaries come from {@code /usr/lib/postgresql/15/bin} or
 * {@code BULWARK_TEST_PG_BIN}; without them the calling test is skipped, or fails with
 * {@code -Dbulwark.test.requireDatabases=true}. Every command runs under a timeout and a failure raises a
 * {@link ClusterCommandException}. A JVM shutdown hook, and a watchdog process for JVMs killed outright,
 * stop clusters a test left open.
 *
 * <p>Thread-safe: lifecycle calls on one cluster are serialised; the accessors never block.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    private static final AtomicInteger NODES = new AtomicInteger();

    private final PostgresClusterBuilder config;
    private final PgInstallation pg;
    private final PgServer server;
    private final String applicationName;
    private final PgReaper.Registration registration;
    private volatile PostgresCluster upstream;
    private volatile String synchronousStandby;
    private volatile List<Long> frozen = List.of();
    private volatile boolean closed;

    private PostgresCluster(PostgresClusterBuilder config, PgInstallation pg) {
        this.config = config;
        this.pg = pg;
        this.server = PgServer.inNewDirectory(pg, config.commandTimeout());
        this.applicationName = "bulwark_node_" + NODES.incrementAndGet();
        this.registration = PgReaper.register(this, pg, server);
    }

    /** A builder for a cluster with default settings, no password (trust), asynchronous standbys. */
    public static PostgresClusterBuilder builder() {
        return new PostgresClusterBuilder();
    }

    /**
     * A pgjdbc URL naming every node, {@code targetServerType=primary}, so that the driver connects to
     * whichever node is the primary.
     *
     * @throws IllegalArgumentException when no node is given or one is null
     */
    public static String multiHostJdbcUrl(PostgresCluster... nodes) {
        if (nodes == null || nodes.length == 0 || Arrays.stream(nodes).anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("multiHostJdbcUrl needs at least one node and no null nodes");
        }
        return Arrays.stream(nodes).map(node -> "127.0.0.1:" + node.port())
                .collect(Collectors.joining(",", "jdbc:postgresql://", "/postgres?targetServerType=primary"));
    }

    static PostgresCluster launch(PostgresClusterBuilder config) {
        PostgresCluster cluster = new PostgresCluster(config, installation());
        try {
            long started = System.nanoTime();
            cluster.server.initdb(config.password());
            long initialised = System.nanoTime();
            cluster.server.startOnFreePort(cluster.settings());
            LOG.info("PostgreSQL test cluster on port {} ready in {} ms (initdb {} ms, start {} ms) at {}",
                    cluster.port(), millis(started), (initialised - started) / 1_000_000, millis(initialised),
                    cluster.server.dataDirectory());
            return cluster;
        } catch (RuntimeException e) {
            cluster.closeAfterFailure(e);
            throw e;
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /** The TCP port on {@code 127.0.0.1}; it stays the same across stops and starts. */
    public int port() {
        return server.port();
    }

    /** The database superuser, {@code postgres}. */
    public String user() {
        return "postgres";
    }

    /** The password of {@link #user()}; empty when the cluster trusts TCP connections from 127.0.0.1. */
    public String password() {
        return config.password() == null ? "" : config.password();
    }

    /** The cluster's data directory (owned by the server's OS user). */
    public Path dataDirectory() {
        return server.dataDirectory();
    }

    /** User and password for {@link DriverManager}. */
    public Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        return properties;
    }

    /** A new connection to {@link #jdbcUrl()}; needs the PostgreSQL JDBC driver on the class path. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), connectionProperties());
    }

    /** Whether the postmaster is alive (a frozen server is alive). */
    public boolean isRunning() {
        return server.postmasterPid().isPresent();
    }

    /** Whether this node was made a standby and has not been promoted since. */
    public boolean isStandby() {
        return upstream != null;
    }

    /** Starts the stopped or crashed server again on the same port; does nothing when it runs. */
    public synchronized void start() {
        ensureOpen();
        if (isRunning()) {
            return;
        }
        long started = System.nanoTime();
        server.writeConfig(port(), settings());
        server.start();
        LOG.info("PostgreSQL test cluster on port {} started in {} ms", port(), millis(started));
    }

    /** Stops the server with {@code pg_ctl -m fast} (a clean shutdown); does nothing when it is down. */
    public synchronized void stop() {
        shutDown("fast");
    }

    /**
     * Crashes the server with {@code pg_ctl -m immediate}: no checkpoint, crash recovery at the next start;
     * does nothing when it is down.
     */
    public synchronized void crash() {
        shutDown("immediate");
    }

    /** {@link #stop()}, then {@link #start()}. */
    public synchronized void restart() {
        stop();
        start();
    }

    /**
     * Hangs the server: SIGSTOP to the postmaster and all its children, so that connections and queries
     * stall without any error until {@link #thaw()}. Does nothing when already frozen.
     *
     * @throws IllegalStateException when the server is not running
     */
    public synchronized void freeze() {
        ensureOpen();
        if (!frozen.isEmpty()) {
            return;
        }
        frozen = PgProcessTree.stop(server, requirePostmaster("freeze"));
        LOG.info("PostgreSQL test cluster on port {} frozen ({} processes)", port(), frozen.size());
    }

    /** Resumes a {@link #freeze() frozen} server with SIGCONT; does nothing when it is not frozen. */
    public synchronized void thaw() {
        if (frozen.isEmpty()) {
            return;
        }
        PgProcessTree.resume(server, frozen);
        frozen = List.of();
        LOG.info("PostgreSQL test cluster on port {} thawed", port());
    }

    /** Whether the server is {@link #freeze() frozen}. */
    public boolean isFrozen() {
        return !frozen.isEmpty();
    }

    /**
     * Terminates every client session ({@code pg_terminate_backend}, SQLState 57P01 for their owners) and
     * waits until they are gone; the harness's own session is spared.
     *
     * @return how many sessions were terminated
     * @throws IllegalStateException when the server is not running, or is frozen
     */
    public int terminateSessions() {
        return terminateWhere("true");
    }

    /**
     * Like {@link #terminateSessions()}, only for sessions whose {@code application_name} is {@code name}
     * (pgjdbc's {@code ApplicationName} property).
     *
     * @throws IllegalArgumentException when {@code name} is null
     */
    public int terminateSessions(String applicationName) {
        if (applicationName == null) {
            throw new IllegalArgumentException("applicationName is null");
        }
        return terminateWhere("application_name = " + PgSettings.sqlLiteral(applicationName));
    }

    /**
     * Creates a hot standby streaming from this running primary ({@code pg_basebackup -R -X stream}), in its
     * own directory on its own port, with the same password and settings. When this cluster was built
     * {@link PostgresClusterBuilder#withSynchronousStandby(boolean) with a synchronous standby}, the new
     * node becomes it, and this method returns once {@code pg_stat_replication} reports it as sync; from
     * then on, as in production, commits on this primary wait while that standby is down or frozen.
     *
     * @throws IllegalStateException when this cluster is not running, or is frozen
     */
    public PostgresCluster createStandby() {
        synchronized (this) {
            ensureOpen();
            requirePostmaster("createStandby");
        }
        long started = System.nanoTime();
        PostgresCluster standby = new PostgresCluster(config, pg);
        try {
            standby.server.baseBackupFrom(server, standby.applicationName);
            standby.upstream = this;
            standby.server.startOnFreePort(standby.settings());
            if (config.synchronousStandby()) {
                makeSynchronous(standby);
            }
            LOG.info("standby on port {} streaming from {} ready in {} ms", standby.port(), port(), millis(started));
            return standby;
        } catch (RuntimeException e) {
            standby.closeAfterFailure(e);
            throw e;
        }
    }

    /**
     * Promotes this standby ({@code pg_ctl promote -w}) and returns once {@code pg_is_in_recovery()} is false.
     *
     * @throws IllegalStateException when this is not a running standby
     */
    public synchronized void promote() {
        ensureOpen();
        requirePostmaster("promote");
        if (upstream == null) {
            throw new IllegalStateException("cluster on port " + port() + " is not a standby; nothing to promote");
        }
        long started = System.nanoTime();
        server.promote();
        server.await("SELECT pg_is_in_recovery()", "f", "the promoted server to leave recovery");
        upstream = null;
        LOG.info("PostgreSQL test cluster on port {} promoted in {} ms", port(), millis(started));
    }

    /**
     * Turns this former primary into a standby of {@code newPrimary}: stops it, checkpoints the new
     * primary, runs {@code pg_rewind --source-server}, writes {@code standby.signal} and
     * {@code primary_conninfo}, and starts it streaming (synchronously if {@code newPrimary} was built so).
     *
     * @throws IllegalArgumentException when {@code newPrimary} is this cluster or null
     * @throws IllegalStateException when {@code newPrimary} is not a running primary
     */
    public void rewindAsStandbyOf(PostgresCluster newPrimary) {
        if (newPrimary == null || newPrimary == this) {
            throw new IllegalArgumentException("rewindAsStandbyOf needs another cluster as the new primary");
        }
        newPrimary.requirePostmaster("rewindAsStandbyOf (new primary)");
        if (newPrimary.isStandby()) {
            throw new IllegalStateException("cluster on port " + newPrimary.port() + " is a standby; promote it first");
        }
        synchronized (this) {
            ensureOpen();
            long started = System.nanoTime();
            shutDown("fast");
            newPrimary.server.query("CHECKPOINT"); // pg_rewind reads the new timeline from the control file
            server.rewindFrom(newPrimary.server);
            server.followPrimary(newPrimary.server, applicationName);
            synchronousStandby = null;
            upstream = newPrimary;
            server.writeConfig(port(), settings());
            server.start();
            LOG.info("cluster on port {} rewound as standby of {} in {} ms", port(), newPrimary.port(),
                    millis(started));
        }
        if (newPrimary.config.synchronousStandby()) {
            newPrimary.makeSynchronous(this);
        }
    }

    /**
     * Waits until this standby has replayed everything its primary had written when the call began.
     *
     * @throws IllegalStateException when this is not a standby, or either server is down
     * @throws ClusterCommandException when the standby does not catch up within the command timeout
     */
    public void awaitCaughtUp() {
        PostgresCluster primary = upstream;
        if (primary == null) {
            throw new IllegalStateException("cluster on port " + port() + " is not a standby");
        }
        primary.requirePostmaster("awaitCaughtUp (primary)");
        requirePostmaster("awaitCaughtUp");
        String lsn = primary.server.query("SELECT pg_current_wal_lsn()");
        server.await("SELECT pg_last_wal_replay_lsn() >= " + PgSettings.sqlLiteral(lsn) + "::pg_lsn", "t",
                "the standby to replay up to " + lsn);
    }

    /** Stops the server at once ({@code -m immediate}) and deletes its directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thaw();
            OptionalLong postmaster = server.postmasterPid();
            if (postmaster.isPresent()) {
                try {
                    server.stop("immediate");
                } catch (ClusterCommandException e) {
                    LOG.warn("pg_ctl could not stop the cluster on port {}; killing it: {}", port(), e.getMessage());
                    PgProcessTree.kill(server, postmaster.getAsLong());
                }
            }
        } finally {
            registration.close();
            server.delete();
        }
    }

    @Override
    public String toString() {
        PostgresCluster primary = upstream;
        return "PostgresCluster[127.0.0.1:" + port() + (primary == null ? " primary" : " standby of " + primary.port())
                + (closed ? ", closed" : isFrozen() ? ", frozen" : isRunning() ? ", running" : ", stopped")
                + ", " + server.dataDirectory() + "]";
    }

    private Map<String, String> settings() {
        Map<String, String> settings = PgSettings.defaults(config.synchronousStandby());
        settings.putAll(config.settings());
        String standbyName = synchronousStandby;
        if (standbyName != null) {
            settings.put("synchronous_standby_names", standbyName);
        }
        return settings;
    }

    private void makeSynchronous(PostgresCluster standby) {
        synchronized (this) {
            synchronousStandby = standby.applicationName;
            server.writeConfig(port(), settings());
            server.reload();
        }
        server.await("SELECT sync_state FROM pg_stat_replication WHERE application_name = "
                + PgSettings.sqlLiteral(standby.applicationName), "sync",
                "standby on port " + standby.port() + " to become synchronous");
    }

    private int terminateWhere(String condition) {
        ensureOpen();
        requirePostmaster("terminateSessions");
        String answer = server.query("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) "
                + "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND "
                + condition);
        int terminated = Integer.parseInt(answer);
        LOG.info("terminated {} sessions on the cluster on port {}", terminated, port());
        return terminated;
    }

    private void shutDown(String mode) {
        ensureOpen();
        thaw(); // a stopped postmaster would never see pg_ctl's signal
        if (isRunning()) {
            long started = System.nanoTime();
            server.stop(mode);
            LOG.info("PostgreSQL test cluster on port {} stopped ({}) in {} ms", port(), mode, millis(started));
        }
    }

    private void closeAfterFailure(RuntimeException failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private long requirePostmaster(String operation) {
        ensureOpen();
        OptionalLong pid = server.postmasterPid();
        if (pid.isEmpty()) {
            throw new IllegalStateException(operation + ": cluster on port " + port() + " is not running");
        }
        if (!frozen.isEmpty()) {
            throw new IllegalStateException(operation + ": cluster on port " + port() + " is frozen; thaw() it first");
        }
        return pid.getAsLong();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cluster on port " + port() + " is closed");
        }
    }

    private static PgInstallation installation() {
        try {
            return PgInstallation.locate();
        } catch (IllegalStateException e) {
            if (Boolean.getBoolean(TestDatabases.REQUIRE_PROPERTY)) {
                throw new IllegalStateException(e.getMessage() + " (" + TestDatabases.REQUIRE_PROPERTY
                        + "=true, so this is a failure)", e);
            }
            Assumptions.abort(e.getMessage());
            throw new AssertionError("unreachable", e);
        }
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
