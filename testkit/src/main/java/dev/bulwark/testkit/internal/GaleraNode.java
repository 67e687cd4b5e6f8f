package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ClusterCommandException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * One {@code mariadbd} of a Galera test cluster: its data directory, ports, process and the commands that act
 * on it. The SQL port listens on {@code 127.0.0.1}; the group-communication port listens on a loopback address
 * of the node's own ({@code 127.0.0.N}), to which Galera also binds its outgoing connections, so that firewall
 * rules can cut one node off from the others without touching anything else. The harness talks to the node
 * through the {@code mariadb} client over its Unix socket, as {@code root} (no password).
 *
 * <p>Lifecycle calls are serialised by {@link dev.bulwark.testkit.GaleraCluster}; queries are thread-safe.
 */
public final class GaleraNode {

    /** Where Debian's {@code galera-4} package puts the provider. */
    public static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final int index;
    private final String address;
    private final Path base;
    private final Path data;
    private final Path log;
    private final Path socket;
    private final Path pidFile;
    private final int sqlPort;
    private final int groupPort;
    private final int istPort;
    private final int sstPort;
    private final Duration timeout;
    private volatile Process process;

    GaleraNode(int index, String address, Path base, Duration timeout) {
        this.index = index;
        this.address = address;
        this.base = base;
        this.data = base.resolve("node" + index);
        this.log = base.resolve("node" + index + ".err");
        this.socket = base.resolve("node" + index + ".sock");
        this.pidFile = base.resolve("node" + index + ".pid");
        this.sqlPort = freePort("127.0.0.1");
        this.groupPort = freePort(address);
        this.istPort = freePort("127.0.0.1");
        this.sstPort = freePort("127.0.0.1");
        this.timeout = timeout;
    }

    /**
     * Creates {@code count} nodes in {@code base} (owned by the server's user), on loopback addresses
     * {@code 127.0.0.2} and up and free ports.
     */
    public static List<GaleraNode> create(Path base, int count, Duration timeout) {
        List<GaleraNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GaleraNode node = new GaleraNode(i, "127.0.0." + (2 + i), base, timeout);
            mkdirOwned(node.data);
            nodes.add(node);
        }
        return List.copyOf(nodes);
    }

    public int index() {
        return index;
    }

    /** The node's own loopback address, used for group communication only. */
    public String address() {
        return address;
    }

    public int sqlPort() {
        return sqlPort;
    }

    public int groupPort() {
        return groupPort;
    }

    public Path dataDirectory() {
        return data;
    }

    public Path pidFile() {
        return pidFile;
    }

    /** Runs {@code mariadb-install-db} in this node's empty data directory: root with no password. */
    public void installSystemTables() {
        List<String> argv = asServerUser(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        ExternalCommand.Result result = ExternalCommand.run(argv, base, Map.of(), timeout);
        if (!result.succeeded()) {
            throw new ClusterCommandException(String.join(" ", argv), result.exitCode(), tail(result.output()), "");
        }
    }

    /**
     * Starts {@code mariadbd} in the background with the Galera provider, joining {@code clusterAddress};
     * {@code bootstrap} starts a new cluster ({@code --wsrep-new-cluster}). Returns at once; see {@link #awaitSynced}.
     */
    public void start(String clusterAddress, boolean bootstrap) {
        List<String> args = new ArrayList<>(List.of(MARIADBD.toString(), "--no-defaults",
                "--datadir=" + data, "--port=" + sqlPort, "--bind-address=127.0.0.1", "--socket=" + socket,
                "--pid-file=" + pidFile, "--log-error=" + log, "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                "--innodb-flush-log-at-trx-commit=2", "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2",
                "--performance-schema=OFF", "--max-connections=200",
                "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-address=" + clusterAddress,
                "--wsrep-cluster-name=bulwark_test", "--wsrep-node-name=node" + index,
                "--wsrep-node-address=" + address + ":" + groupPort,
                "--wsrep-node-incoming-address=127.0.0.1:" + sqlPort,
                "--wsrep-sst-method=rsync", "--wsrep-sst-receive-address=127.0.0.1:" + sstPort,
                "--wsrep-provider-options=gmcast.listen_addr=tcp://" + address + ":" + groupPort
                        + ";ist.recv_addr=127.0.0.1:" + istPort + ";gcache.size=32M"));
        if (bootstrap) {
            args.add("--wsrep-new-cluster");
        }
        try {
            Files.deleteIfExists(pidFile);
            process = new ProcessBuilder(asServerUser(args)).directory(base.toFile())
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("node" + index + ".out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start mariadbd for node " + index, e);
        }
    }

    /** Whether the server process runs. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** {@code mariadbd}'s own process id, once it wrote its pid file. */
    public OptionalLong serverPid() {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            Process p = process;
            if (p == null) {
                return OptionalLong.empty();
            }
            return p.descendants().filter(h -> h.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                    .mapToLong(ProcessHandle::pid).findFirst().stream().mapToObj(OptionalLong::of).findFirst()
                    .orElse(OptionalLong.empty());
        }
    }

    /** SIGKILL to the server (a crash), then waits until it is gone. */
    public void kill() {
        signal(true);
    }

    /** SIGTERM to the server (a clean shutdown, leaving the cluster), then waits until it is gone. */
    public void stop() {
        signal(false);
    }

    private void signal(boolean kill) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        OptionalLong pid = serverPid();
        if (pid.isPresent()) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(h -> {
                if (kill) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            });
        } else {
            p.descendants().forEach(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        }
        try {
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping node " + index, e);
        }
    }

    /**
     * Runs {@code sql} through the {@code mariadb} client and returns its output (tab-separated, no headers).
     *
     * @throws ClusterCommandException when the client fails
     */
    public String query(String sql) {
        ExternalCommand.Result result = tryQuery(sql, timeout);
        if (!result.succeeded()) {
            throw new ClusterCommandException("mariadb -e '" + sql + "' on node " + index, result.exitCode(),
                    tail(result.output()), logTail());
        }
        return result.output().trim();
    }

    /** A status variable's value ({@code SHOW GLOBAL STATUS}), or empty when the node does not answer. */
    public String status(String name) {
        // A node busy with a state transfer may accept the client and not answer: poll with a short timeout.
        ExternalCommand.Result result = tryQuery("SHOW GLOBAL STATUS LIKE '" + name + "'", STATUS_TIMEOUT);
        if (!result.succeeded()) {
            return "";
        }
        String out = result.output().trim();
        int tab = out.indexOf('\t');
        return tab < 0 ? "" : out.substring(tab + 1).trim();
    }

    private ExternalCommand.Result tryQuery(String sql, Duration limit) {
        return ExternalCommand.run(List.of("mariadb", "--no-defaults", "-S", socket.toString(), "-uroot",
                "--connect-timeout=1", "-N", "-B", "-e", sql), base, Map.of(), limit);
    }

    /** Waits until the node is {@code Synced} in a primary component. */
    public void awaitSynced() {
        await(node -> "Synced".equals(node.status("wsrep_local_state_comment"))
                && "Primary".equals(node.status("wsrep_cluster_status")), "Synced in a primary component");
    }

    /** Waits until {@code condition} holds, failing when the server dies or the timeout passes. */
    public void await(Predicate<GaleraNode> condition, String what) {
        long ends = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.test(this)) {
                return;
            }
            if (!isRunning()) {
                throw new ClusterCommandException("mariadbd (node " + index + ")", exitCode(),
                        "the server ended while waiting for it to be " + what, logTail());
            }
            if (System.nanoTime() - ends > 0) {
                throw new ClusterCommandException("mariadbd (node " + index + ")", -1,
                        "not " + what + " within " + timeout, logTail());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for node " + index, e);
            }
        }
    }

    private int exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? -1 : p.exitValue();
    }

    /** The last lines of the server's error log. */
    public String logTail() {
        try {
            return Files.exists(log) ? tail(Files.readString(log, StandardCharsets.UTF_8)) : "";
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - 25);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** rsync SST refuses to run as root, and so does mariadbd: run as {@code mysql} when the JVM is root. */
    static List<String> asServerUser(List<String> argv) {
        if (!root()) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "mysql", "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    static void mkdirOwned(Path dir) {
        try {
            Files.createDirectories(dir);
            if (root()) {
                ExternalCommand.Result r = ExternalCommand.run(List.of("chown", "mysql:mysql", dir.toString()),
                        Path.of("/"), Map.of(), Duration.ofSeconds(10));
                if (!r.succeeded()) {
                    throw new IllegalStateException("could not chown " + dir + " to mysql: " + r.output());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir, e);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + host, e);
        }
    }
}
