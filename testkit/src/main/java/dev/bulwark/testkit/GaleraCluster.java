package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.GaleraFirewall;
import dev.bulwark.testkit.internal.GaleraNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away MariaDB Galera cluster (synchronous multi-primary replication) of its own, for tests that
 * crash, stop, restart or cut off nodes: three {@code mariadbd} by default, on free ports of {@code 127.0.0.1},
 * in a fresh temporary directory, run as the OS user {@code mysql} when the JVM runs as root (rsync state
 * transfer refuses root). The first node bootstraps the cluster, the others join by rsync state transfer.
 * Every node has a database {@code test}; user {@code root}, no password.
 *
 * <pre>{@code
 * try (GaleraCluster galera = GaleraCluster.builder().start()) {
 *     String url = galera.sequentialJdbcUrl();   // jdbc:mariadb:sequential://node0,node1,node2/test
 *     galera.kill(0);                            // kill -9: the driver moves on to node 1
 *     galera.start(0);                           // rejoins (state transfer), returns once synced
 *     galera.isolate(2);                         // iptables: node 2 loses quorum, answers 1047
 *     galera.heal();
 * }
 * }</pre>
 *
 * <p>Needs {@code /usr/sbin/mariadbd}, Debian's {@code galera-4} ({@code /usr/lib/galera/libgalera_smm.so}),
 * {@code rsync}, and for {@link #isolate} {@code iptables} and root; without them the calling test is skipped,
 * or fails with {@code -Dbulwark.test.requireDatabases=true}. {@link #close()} stops every node, removes every
 * firewall rule and deletes the directory; a JVM shutdown hook, and a watchdog process for JVMs killed
 * outright, do the same for clusters a test left open.
 *
 * <p>Thread-safe: lifecycle calls are serialised; the URL accessors never block.
 */
public final class GaleraCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GaleraCluster.class);
    private static final Set<GaleraCluster> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK = new AtomicBoolean();

    private final GaleraClusterBuilder config;
    private final Path base;
    private final List<GaleraNode> nodes;
    private final GaleraFirewall firewall;
    private final Process watchdog;
    private volatile boolean closed;

    private GaleraCluster(GaleraClusterBuilder config, Path base) {
        this.config = config;
        this.base = base;
        this.nodes = GaleraNode.create(base, config.nodes(), config.commandTimeout());
        this.firewall = new GaleraFirewall("bulwark-galera-" + ProcessHandle.current().pid() + "-"
                + base.getFileName());
        this.watchdog = startWatchdog();
    }

    /** A builder for a three-node cluster. */
    public static GaleraClusterBuilder builder() {
        return new GaleraClusterBuilder();
    }

    static GaleraCluster launch(GaleraClusterBuilder config) {
        checkInstalled();
        GaleraCluster cluster = new GaleraCluster(config, newBase());
        OPEN.add(cluster);
        if (HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(GaleraCluster::close),
                    "bulwark-galera-reaper"));
        }
        try {
            long started = System.nanoTime();
            GaleraNode first = cluster.nodes.get(0);
            first.installSystemTables();
            first.start(cluster.clusterAddress(), true);
            first.awaitSynced();
            first.query("CREATE DATABASE IF NOT EXISTS test");
            for (GaleraNode node : cluster.nodes.subList(1, cluster.nodes.size())) {
                node.start(cluster.clusterAddress(), false);
            }
            for (GaleraNode node : cluster.nodes) {
                node.awaitSynced();
            }
            LOG.info("Galera test cluster of {} nodes (SQL ports {}) ready in {} ms at {}", cluster.nodes.size(),
                    cluster.nodes.stream().map(n -> Integer.toString(n.sqlPort())).collect(Collectors.joining(",")),
                    (System.nanoTime() - started) / 1_000_000, cluster.base);
            return cluster;
        } catch (RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** How many nodes the cluster has. */
    public int size() {
        return nodes.size();
    }

    /** The SQL port of {@code node} on {@code 127.0.0.1}; it stays the same across restarts. */
    public int port(int node) {
        return node(node).sqlPort();
    }

    /** {@code jdbc:mariadb://127.0.0.1:PORT/test}: one node only. */
    public String jdbcUrl(int node) {
        return "jdbc:mariadb://127.0.0.1:" + port(node) + "/test";
    }

    /**
     * {@code jdbc:mariadb:sequential://...all nodes.../test}: Connector/J connects to the first node that
     * answers, in this order, and fails over to the next.
     */
    public String sequentialJdbcUrl() {
        return multiHost("sequential");
    }

    /** {@code jdbc:mariadb:loadbalance://...all nodes.../test}: Connector/J picks a node at random per connection. */
    public String loadBalanceJdbcUrl() {
        return multiHost("loadbalance");
    }

    private String multiHost(String mode) {
        return nodes.stream().map(n -> "127.0.0.1:" + n.sqlPort())
                .collect(Collectors.joining(",", "jdbc:mariadb:" + mode + "://", "/test"));
    }

    /** The database user, {@code root}. */
    public String user() {
        return "root";
    }

    /** The password of {@link #user()}: empty. */
    public String password() {
        return "";
    }

    /** The cluster's temporary directory (data directories, logs, sockets); deleted by {@link #close()}. */
    public Path directory() {
        return base;
    }

    /** The comment carried by every firewall rule {@link #isolate} installs, unique to this cluster. */
    public String firewallTag() {
        return firewall.tag();
    }

    /** Whether {@code node}'s server process runs. */
    public boolean isRunning(int node) {
        return node(node).isRunning();
    }

    /**
     * A {@code SHOW GLOBAL STATUS} value on {@code node} (such as {@code wsrep_cluster_status}: {@code Primary}
     * or {@code non-Primary}; {@code wsrep_cluster_size}), or empty when the node does not answer.
     */
    public String status(int node, String variable) {
        if (variable == null || !variable.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("not a status variable name: " + variable);
        }
        return node(node).status(variable);
    }

    /**
     * Runs {@code sql} on {@code node} as root through the {@code mariadb} client and returns its output
     * (tab-separated rows, no header).
     *
     * @throws ClusterCommandException when the statement fails
     */
    public String query(int node, String sql) {
        return node(node).query(sql);
    }

    /** Crashes {@code node} with SIGKILL and waits until the process is gone; does nothing when it is down. */
    public synchronized void kill(int node) {
        ensureOpen();
        node(node).kill();
        LOG.info("Galera node {} killed", node);
    }

    /** Shuts {@code node} down cleanly (it leaves the cluster); does nothing when it is down. */
    public synchronized void stop(int node) {
        ensureOpen();
        node(node).stop();
        LOG.info("Galera node {} stopped", node);
    }

    /**
     * Starts a stopped or crashed {@code node} again; it rejoins the cluster (incremental or full state
     * transfer) and this returns once it is synced. Does nothing when it runs.
     *
     * @throws ClusterCommandException when it does not sync within the command timeout
     */
    public synchronized void start(int node) {
        ensureOpen();
        GaleraNode n = node(node);
        if (n.isRunning()) {
            return;
        }
        long started = System.nanoTime();
        n.start(clusterAddress(), false);
        n.awaitSynced();
        LOG.info("Galera node {} rejoined in {} ms", node, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Cuts {@code node} off from every other node (iptables DROP on this cluster's group-communication ports
     * only); clients still reach it. With three nodes it loses quorum within seconds: it answers
     * 1047 "WSREP has not yet prepared node for application use" while the two others go on. Undo with
     * {@link #heal()}.
     *
     * @throws ClusterCommandException when iptables fails (not root, not installed)
     */
    public synchronized void isolate(int node) {
        ensureOpen();
        GaleraNode n = node(node);
        firewall.isolate(n, nodes.stream().filter(o -> o != n).toList());
        LOG.info("Galera node {} isolated from the others", node);
    }

    /** Removes every rule {@link #isolate} installed; the nodes find each other again within seconds. */
    public synchronized void heal() {
        firewall.healAll();
        LOG.info("Galera cluster healed");
    }

    /** Waits until {@code node} is synced in a primary component. */
    public void awaitSynced(int node) {
        node(node).awaitSynced();
    }

    /** Waits until {@code node} reports {@code wsrep_cluster_status} non-Primary (lost quorum). */
    public void awaitNonPrimary(int node) {
        node(node).await(n -> "non-Primary".equals(n.status("wsrep_cluster_status")), "in a non-primary component");
    }

    /** Stops every node at once (SIGKILL), removes every firewall rule and deletes the directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        RuntimeException failure = null;
        try {
            firewall.healAll();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (GaleraNode node : nodes) {
            try {
                node.kill();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        watchdog.destroy();
        deleteTree(base);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "GaleraCluster[" + nodes.stream().map(n -> n.sqlPort() + (n.isRunning() ? "" : " down"))
                .collect(Collectors.joining(", ")) + (closed ? ", closed" : "") + ", " + base + "]";
    }

    private String clusterAddress() {
        return nodes.stream().map(n -> n.address() + ":" + n.groupPort())
                .collect(Collectors.joining(",", "gcomm://", ""));
    }

    private GaleraNode node(int index) {
        if (index < 0 || index >= nodes.size()) {
            throw new IllegalArgumentException("no node " + index + " in a cluster of " + nodes.size());
        }
        return nodes.get(index);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Galera cluster is closed");
        }
    }

    // Waits for the JVM to go, then kills the servers, removes the firewall rules and deletes the directory.
    private Process startWatchdog() {
        String script = "jvm=$1; base=$2; while kill -0 \"$jvm\" 2>/dev/null; do sleep 1; done; "
                + "for f in \"$base\"/node*.pid; do [ -f \"$f\" ] && kill -KILL \"$(cat \"$f\")\" 2>/dev/null; done; "
                + GaleraFirewall.cleanupScript(firewall.tag()) + "; rm -rf \"$base\"";
        try {
            return new ProcessBuilder("sh", "-c", script, "bulwark-galera-watchdog",
                    Long.toString(ProcessHandle.current().pid()), base.toString())
                    .directory(new File("/")).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Galera watchdog", e);
        }
    }

    private static Path newBase() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "bulwark-galera-");
            dir.toFile().setExecutable(true, false);
            dir.toFile().setReadable(true, false);
            if ("root".equals(System.getProperty("user.name"))) {
                Process chown = new ProcessBuilder("chown", "mysql:mysql", dir.toString()).start();
                if (chown.waitFor() != 0) {
                    throw new IllegalStateException("could not give " + dir + " to the mysql user");
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for a Galera test cluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void checkInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(Path.of("/usr/sbin/mariadbd"))) {
            missing.add("mariadbd (apt-get install mariadb-server)");
        }
        if (!Files.exists(GaleraNode.PROVIDER)) {
            missing.add(GaleraNode.PROVIDER + " (apt-get install galera-4)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/rsync"))) {
            missing.add("rsync (apt-get install rsync)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "a Galera test cluster needs " + String.join(", ", missing);
        if (Boolean.getBoolean(TestDatabases.REQUIRE_PROPERTY)) {
            throw new IllegalStateException(message + " (" + TestDatabases.REQUIRE_PROPERTY + "=true, so this is a failure)");
        }
        Assumptions.abort(message);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
