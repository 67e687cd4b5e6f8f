package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.Daemon;
import dev.bulwark.testkit.internal.ExternalCommand;
import dev.bulwark.testkit.internal.LoopbackFirewall;
import dev.bulwark.testkit.internal.PatroniFiles;
import dev.bulwark.testkit.internal.PatroniFiles.NodeAddress;
import dev.bulwark.testkit.internal.PatroniRest;
import dev.bulwark.testkit.internal.PgInstallation;
import dev.bulwark.testkit.internal.PgReaper;
import dev.bulwark.testkit.internal.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away Patroni cluster, as production PostgreSQL HA runs it: one etcd, three PostgreSQL 15 nodes
 * managed by Patroni with {@code synchronous_mode: true}, and optionally an HAProxy that sends clients to the
 * node whose Patroni REST API answers {@code GET /primary} with 200. Everything listens on free ports on
 * {@code 127.0.0.1} and lives in one temporary directory; {@link #close()} stops it all and deletes it.
 *
 * <pre>{@code
 * try (PatroniCluster cluster = PatroniCluster.builder().start()) {
 *     String url = cluster.multiHostJdbcUrl();      // or cluster.haProxyJdbcUrl()
 *     String old = cluster.leader();
 *     cluster.crash(old);                            // kill -9 of Patroni and PostgreSQL on that node
 *     String next = cluster.awaitLeaderOtherThan(old);
 *     cluster.restart(old);                          // rejoins as a replica (pg_rewind)
 *     cluster.awaitHealthy();
 * }
 * }</pre>
 *
 * <p>Faults: {@link #switchover()}, {@link #crash(String)}, {@link #freeze(String)} / {@link #thaw(String)}
 * (SIGSTOP of a node's PostgreSQL; its Patroni keeps running), {@link #isolate(String)} /
 * {@link #reconnect(String)} (iptables DROP of the JVM's own packets to that node's PostgreSQL port: the node
 * keeps its replicas and its Patroni, which run as {@code postgres}), {@link #stopEtcd()} /
 * {@link #startEtcd()}, {@link #pauseReplay(String)} / {@link #resumeReplay(String)}.
 *
 * <p>PostgreSQL, Patroni and etcd run as OS user {@code postgres} (through {@code setpriv}) when the JVM runs
 * as root, HAProxy as the JVM's user. Needs the Debian packages {@code patroni}, {@code etcd-server},
 * {@code haproxy} and {@code postgresql-15} ({@code iptables} for {@link #isolate}); without them the calling
 * test is skipped, or fails with {@code -Dbulwark.test.requireDatabases=true}. A JVM shutdown hook, and a
 * watchdog process for JVMs killed outright, stop what a test left running and remove its iptables rules.
 *
 * <p>Thread-safe: fault and lifecycle calls are serialised; {@link #leader()} and the URLs never block on them.
 */
public final class PatroniCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PatroniCluster.class);
    private static final String SERVER_USER = "postgres";
    private static final List<String> NODE_NAMES = List.of("pg1", "pg2", "pg3");
    private static final Map<String, String> DEFAULT_SETTINGS = Map.of("fsync", "off", "shared_buffers", "32MB",
            "max_connections", "60", "wal_log_hints", "on", "wal_keep_size", "128MB");

    // Waits for the JVM to go; removes this cluster's iptables rules; wakes and kills every process whose
    // command line names this cluster's directory (and their children: PostgreSQL renames its backends).
    private static final String WATCHDOG = """
            jvm=$1; base=$2; firewall=$3
            while kill -0 "$jvm" 2>/dev/null; do sleep 1; done
            sh -c "$firewall" >/dev/null 2>&1
            pids=""
            for p in /proc/[0-9]*; do
              pid=${p#/proc/}
              [ "$pid" = "$$" ] && continue
              if tr '\\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF -- "$base/"; then
                pids="$pids $pid $(cat "$p/task/$pid/children" 2>/dev/null)"
              fi
            done
            [ -n "$pids" ] && { kill -CONT $pids; kill -KILL $pids; } 2>/dev/null
            sleep 1
            rm -rf "$base"
            """;

    private final PatroniClusterBuilder config;
    private final PgInstallation pg;
    private final Path base;
    private final String runAs;
    private final PatroniRest rest = new PatroniRest();
    private final LoopbackFirewall firewall;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final int etcdPort;
    private final Daemon etcd;
    private final int haProxyPort;
    private final Daemon haProxy;
    private PgReaper.Registration registration;
    private volatile boolean closed;

    /** One member of the cluster as Patroni's {@code GET /cluster} reports it. */
    public record Member(String name, String role, String state, int port, long lagBytes) {

        /** Whether this member holds the leader key. */
        public boolean isLeader() {
            return "leader".equals(role);
        }
    }

    private static final class Node {
        final NodeAddress address;
        final Daemon patroni;
        List<Long> frozen = List.of();

        Node(NodeAddress address, Daemon patroni) {
            this.address = address;
            this.patroni = patroni;
        }
    }

    private PatroniCluster(PatroniClusterBuilder config, PgInstallation pg) throws IOException {
        this.config = config;
        this.pg = pg;
        this.runAs = pg.runsAsAnotherUser() ? SERVER_USER : null;
        this.base = Files.createTempDirectory(Path.of("/tmp"), "bulwark-patroni-");
        pg.own(base);
        this.firewall = new LoopbackFirewall(base.getFileName().toString(), currentUid());
        this.etcdPort = freePort();
        int etcdPeerPort = freePort();
        Path etcdDir = base.resolve("etcd");
        this.etcd = new Daemon("etcd", List.of("etcd", "--name", "etcd1", "--data-dir", etcdDir.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls", "http://127.0.0.1:" + etcdPeerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + etcdPeerPort,
                "--initial-cluster", "etcd1=http://127.0.0.1:" + etcdPeerPort,
                "--log-level", "warn"), runAs, base, base.resolve("etcd.log"), Map.of());
        Map<String, String> parameters = new LinkedHashMap<>(DEFAULT_SETTINGS);
        parameters.putAll(config.settings());
        PatroniFiles.DcsSettings dcs = new PatroniFiles.DcsSettings((int) config.ttl().toSeconds(),
                (int) config.loopWait().toSeconds(), (int) config.retryTimeout().toSeconds(), config.failsafeMode());
        for (String name : NODE_NAMES) {
            Path dir = base.resolve(name);
            Files.createDirectories(dir);
            pg.own(dir);
            NodeAddress address = new NodeAddress(name, freePort(), freePort(), dir);
            Path yaml = dir.resolve("patroni.yml");
            write(yaml, PatroniFiles.patroniYaml(base.getFileName().toString(), address, etcdPort,
                    pg.binDirectory(), dcs, parameters));
            nodes.put(name, new Node(address, new Daemon("patroni " + name, List.of("patroni", yaml.toString()),
                    runAs, dir, dir.resolve("patroni.log"), Map.of("HOME", dir.toString()))));
        }
        if (config.haProxy()) {
            this.haProxyPort = freePort();
            Path cfg = base.resolve("haproxy.cfg");
            write(cfg, PatroniFiles.haproxyConfig(haProxyPort,
                    nodes.values().stream().map(n -> n.address).toList(), 500));
            this.haProxy = new Daemon("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()), null, base,
                    base.resolve("haproxy.log"), Map.of());
        } else {
            this.haProxyPort = -1;
            this.haProxy = null;
        }
    }

    /** A builder with the defaults: HAProxy on, ttl 8 s, loop_wait 1 s, retry_timeout 3 s, no failsafe mode. */
    public static PatroniClusterBuilder builder() {
        return new PatroniClusterBuilder();
    }

    static PatroniCluster launch(PatroniClusterBuilder config) {
        PgInstallation pg = installation();
        PatroniCluster cluster;
        try {
            cluster = new PatroniCluster(config, pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a Patroni test cluster", e);
        }
        try {
            long started = System.nanoTime();
            cluster.registration = PgReaper.register(cluster, WATCHDOG, List.of(cluster.base.toString(),
                    cluster.firewall.cleanupShell()));
            cluster.etcd.start();
            cluster.await("etcd to answer", () -> cluster.rest.get(cluster.etcdPort, "/health")
                    .filter(body -> body.contains("true")).isPresent());
            cluster.nodes.values().forEach(node -> node.patroni.start());
            if (cluster.haProxy != null) {
                cluster.haProxy.start();
            }
            cluster.await("every daemon to stay up while the cluster forms", () -> {
                cluster.requireDaemonsAlive();
                return cluster.membersOrEmpty().size() == NODE_NAMES.size();
            });
            String leader = cluster.awaitHealthy();
            LOG.info("Patroni test cluster ready in {} ms: leader {}, nodes {}, etcd {}, haproxy {}, at {}",
                    millis(started), leader, cluster.nodes.values().stream().map(n -> n.address.name() + ":"
                            + n.address.pgPort()).collect(Collectors.joining(" ")), cluster.etcdPort,
                    cluster.haProxyPort, cluster.base);
            return cluster;
        } catch (RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A pgjdbc URL naming the three nodes with {@code targetServerType=primary}. */
    public String multiHostJdbcUrl() {
        return nodes.values().stream().map(n -> "127.0.0.1:" + n.address.pgPort())
                .collect(Collectors.joining(",", "jdbc:postgresql://", "/postgres?targetServerType=primary"));
    }

    /**
     * A pgjdbc URL through HAProxy, which routes to the current leader.
     *
     * @throws IllegalStateException when the cluster was built without HAProxy
     */
    public String haProxyJdbcUrl() {
        if (haProxy == null) {
            throw new IllegalStateException("this Patroni cluster was built withHaProxy(false)");
        }
        return "jdbc:postgresql://127.0.0.1:" + haProxyPort + "/postgres";
    }

    /** The database superuser, {@code postgres}; TCP connections from 127.0.0.1 are trusted. */
    public String user() {
        return SERVER_USER;
    }

    /** The node names, {@code pg1}, {@code pg2}, {@code pg3}. */
    public List<String> nodeNames() {
        return NODE_NAMES;
    }

    /**
     * The PostgreSQL port of {@code node} on 127.0.0.1.
     *
     * @throws IllegalArgumentException when there is no such node
     */
    public int port(String node) {
        return node(node).address.pgPort();
    }

    /**
     * The members as the first Patroni REST API that answers reports them.
     *
     * @throws IllegalStateException when no node's REST API answers
     */
    public List<Member> members() {
        for (Node node : nodes.values()) {
            Optional<List<PatroniRest.Member>> members = rest.members(node.address.restPort());
            if (members.isPresent() && !members.get().isEmpty()) {
                return members.get().stream().map(m -> new Member(m.name(), m.role(), m.state(), m.port(), m.lag()))
                        .toList();
            }
        }
        throw new IllegalStateException("no Patroni REST API of " + this + " answers");
    }

    /**
     * The node holding the leader key now.
     *
     * @throws IllegalStateException when no node does (during a failover) or no REST API answers
     */
    public String leader() {
        return members().stream().filter(Member::isLeader).map(Member::name).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Patroni cluster has no leader now"));
    }

    /**
     * Waits until a node other than {@code former} holds the leader key and runs as primary; returns it.
     *
     * @throws ClusterCommandException when that does not happen within the command timeout
     */
    public String awaitLeaderOtherThan(String former) {
        String[] found = new String[1];
        await("a leader other than " + former, () -> currentLeader().filter(l -> !l.equals(former)).map(l -> {
            found[0] = l;
            return primaryAnswers(l);
        }).orElse(false));
        return found[0];
    }

    /**
     * Waits until the cluster is whole: a running leader whose PostgreSQL answers as primary, a synchronous
     * standby, every member running, and HAProxy (when there is one) routing to the leader. Returns the leader.
     *
     * @throws ClusterCommandException when that does not happen within the command timeout
     */
    public String awaitHealthy() {
        String[] found = new String[1];
        await("the cluster to have a leader, a synchronous standby and three running members", () -> {
            List<Member> members;
            try {
                members = members();
            } catch (IllegalStateException e) {
                return false;
            }
            Optional<Member> leader = members.stream().filter(Member::isLeader).findFirst();
            boolean whole = members.size() == NODE_NAMES.size() && leader.isPresent()
                    && members.stream().anyMatch(m -> "sync_standby".equals(m.role()))
                    && members.stream().allMatch(m -> "running".equals(m.state()) || "streaming".equals(m.state()));
            if (!whole || !primaryAnswers(leader.get().name())) {
                return false;
            }
            found[0] = leader.get().name();
            return haProxy == null || "f".equals(psql("host=127.0.0.1 port=" + haProxyPort
                    + " user=postgres dbname=postgres connect_timeout=2", "SELECT pg_is_in_recovery()", false));
        });
        return found[0];
    }

    /**
     * A planned switchover ({@code POST /switchover} to the leader's REST API, as {@code patronictl switchover}
     * does) to the synchronous standby; returns the new leader once it runs as primary.
     *
     * @throws ClusterCommandException when Patroni refuses or the switchover does not complete in time
     */
    public synchronized String switchover() {
        ensureOpen();
        String former = leader();
        long started = System.nanoTime();
        try {
            HttpResponse<String> answer = rest.post(node(former).address.restPort(), "/switchover",
                    "{\"leader\": \"" + former + "\"}", config.commandTimeout());
            if (answer.statusCode() != 200) {
                throw new ClusterCommandException("POST /switchover", answer.statusCode(), answer.body(), tail(former));
            }
        } catch (IOException e) {
            throw new ClusterCommandException("POST /switchover", -1, e.toString(), tail(former));
        }
        String next = awaitLeaderOtherThan(former);
        LOG.info("Patroni switchover {} -> {} in {} ms", former, next, millis(started));
        return next;
    }

    /** Crashes {@code node}: SIGKILL to its Patroni, then to its postmaster and every PostgreSQL process. */
    public synchronized void crash(String node) {
        ensureOpen();
        Node n = node(node);
        thaw(node);
        n.patroni.kill();
        OptionalLong postmaster = postmasterPid(n);
        if (postmaster.isPresent()) {
            Signals.send("KILL", Signals.withChildren(postmaster.getAsLong()));
        }
        LOG.info("Patroni node {} crashed (kill -9)", node);
    }

    /** Starts a crashed node's Patroni again; it starts PostgreSQL and rejoins (rewinding when it must). */
    public synchronized void restart(String node) {
        ensureOpen();
        node(node).patroni.start();
    }

    /**
     * Hangs {@code node}'s PostgreSQL: SIGSTOP to its postmaster and every child, so that its clients stall
     * without an error; its Patroni keeps running (and promotes another node only once the leader key
     * expires, after the ttl). Does nothing when already frozen.
     *
     * @throws IllegalStateException when that node's PostgreSQL is not running
     */
    public synchronized void freeze(String node) {
        ensureOpen();
        Node n = node(node);
        if (!n.frozen.isEmpty()) {
            return;
        }
        long postmaster = postmasterPid(n).orElseThrow(() ->
                new IllegalStateException("freeze: PostgreSQL of node " + node + " is not running"));
        Signals.send("STOP", List.of(postmaster));
        List<Long> all = Signals.withChildren(postmaster);
        Signals.send("STOP", all.subList(1, all.size()));
        n.frozen = all;
        LOG.info("Patroni node {} frozen ({} processes)", node, all.size());
    }

    /** Resumes a {@link #freeze frozen} node with SIGCONT; does nothing when it is not frozen. */
    public synchronized void thaw(String node) {
        Node n = node(node);
        if (n.frozen.isEmpty()) {
            return;
        }
        List<Long> all = new ArrayList<>(n.frozen);
        all.addAll(Signals.withChildren(n.frozen.get(0)));
        Signals.send("CONT", all.stream().distinct().toList());
        n.frozen = List.of();
        LOG.info("Patroni node {} thawed", node);
    }

    /**
     * Cuts {@code node}'s PostgreSQL off from this JVM and HAProxy: an iptables rule drops every packet they
     * send to its port (replication and Patroni, running as {@code postgres}, are not affected), until
     * {@link #reconnect} or {@link #close()}.
     *
     * @throws ClusterCommandException when iptables is missing or refuses (it needs root)
     */
    public synchronized void isolate(String node) {
        ensureOpen();
        firewall.drop(port(node));
        LOG.info("Patroni node {} isolated from clients (port {})", node, port(node));
    }

    /** Removes {@link #isolate}'s rule for {@code node}; does nothing when there is none. */
    public synchronized void reconnect(String node) {
        firewall.allow(port(node));
        LOG.info("Patroni node {} reachable again", node);
    }

    /** Kills etcd (SIGKILL): Patroni loses its DCS; without failsafe mode the leader demotes itself. */
    public synchronized void stopEtcd() {
        ensureOpen();
        etcd.kill();
        LOG.info("etcd of the Patroni cluster killed");
    }

    /** Starts etcd again on the same port and data; does nothing when it runs. */
    public synchronized void startEtcd() {
        ensureOpen();
        etcd.start();
        await("etcd to answer", () -> rest.get(etcdPort, "/health").filter(b -> b.contains("true")).isPresent());
    }

    /**
     * Pauses WAL replay on replica {@code node} ({@code pg_wal_replay_pause()}): it keeps receiving and
     * flushing WAL, so synchronous commits still return, but its data stops advancing.
     *
     * @throws ClusterCommandException when the node is not a running replica
     */
    public void pauseReplay(String node) {
        psql(socket(node), "SELECT pg_wal_replay_pause()", true);
    }

    /** Resumes WAL replay on {@code node} ({@code pg_wal_replay_resume()}). */
    public void resumeReplay(String node) {
        psql(socket(node), "SELECT pg_wal_replay_resume()", true);
    }

    /** Stops HAProxy, every Patroni node, PostgreSQL and etcd, removes the iptables rules, deletes all; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        step(failures, firewall::removeAll);
        if (haProxy != null) {
            step(failures, haProxy::kill);
        }
        for (Node n : nodes.values()) {
            step(failures, () -> thaw(n.address.name()));
            step(failures, n.patroni::kill);
        }
        for (Node n : nodes.values()) {
            step(failures, () -> stopPostgres(n));
        }
        step(failures, etcd::kill);
        if (registration != null) {
            step(failures, registration::close);
        }
        step(failures, this::deleteBase);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public String toString() {
        return "PatroniCluster[" + nodes.values().stream().map(n -> n.address.name() + "=127.0.0.1:"
                + n.address.pgPort()).collect(Collectors.joining(", ")) + (haProxy == null ? "" : ", haproxy=127.0.0.1:"
                + haProxyPort) + ", etcd=127.0.0.1:" + etcdPort + (closed ? ", closed" : "") + ", " + base + "]";
    }

    private void requireDaemonsAlive() {
        for (Node n : nodes.values()) {
            if (!n.patroni.isAlive()) {
                throw new ClusterCommandException("patroni " + n.address.name(), -1, "exited while starting",
                        tail(n.address.name()));
            }
        }
        if (!etcd.isAlive() || (haProxy != null && !haProxy.isAlive())) {
            throw new ClusterCommandException(etcd.isAlive() ? "haproxy" : "etcd", -1, "exited while starting; see "
                    + base.resolve(etcd.isAlive() ? "haproxy.log" : "etcd.log"), "");
        }
    }

    private List<Member> membersOrEmpty() {
        try {
            return members();
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    private Optional<String> currentLeader() {
        try {
            return members().stream().filter(Member::isLeader).map(Member::name).findFirst();
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private boolean primaryAnswers(String node) {
        try {
            return "f".equals(psql(socket(node), "SELECT pg_is_in_recovery()", false));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String socket(String node) {
        Node n = node(node);
        return "host=" + n.address.directory() + " port=" + n.address.pgPort() + " user=postgres dbname=postgres"
                + " connect_timeout=2";
    }

    private String psql(String conninfo, String sql, boolean mustSucceed) {
        List<String> args = List.of("-X", "-q", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", "-c", sql, conninfo);
        ExternalCommand.Result result = pg.run(base, Duration.ofSeconds(5), "psql", args);
        if (!result.succeeded()) {
            if (mustSucceed) {
                throw new ClusterCommandException(PgInstallation.display("psql", args), result.exitCode(),
                        "output: " + PgInstallation.mask(result.output().strip()), "");
            }
            return "";
        }
        return result.output().strip();
    }

    private void stopPostgres(Node n) {
        if (postmasterPid(n).isEmpty()) {
            return;
        }
        List<String> args = List.of("-D", n.address.directory().resolve("data").toString(), "-m", "immediate", "-w",
                "-t", "20", "stop");
        ExternalCommand.Result result = pg.run(base, Duration.ofSeconds(30), "pg_ctl", args);
        OptionalLong still = postmasterPid(n);
        if (!result.succeeded() && still.isPresent()) {
            LOG.warn("pg_ctl could not stop node {}; killing it: {}", n.address.name(), result.output().strip());
            Signals.send("KILL", Signals.withChildren(still.getAsLong()));
        }
    }

    private OptionalLong postmasterPid(Node n) {
        Path pidFile = n.address.directory().resolve("data").resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return OptionalLong.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                    ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new ClusterCommandException("await " + what, -1, "waited " + config.commandTimeout().toSeconds()
                        + " s; members: " + describeMembers(), nodes.keySet().stream().map(this::tail)
                        .collect(Collectors.joining("\n")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private String describeMembers() {
        try {
            return members().toString();
        } catch (IllegalStateException e) {
            return "(no REST API answers)";
        }
    }

    private String tail(String node) {
        Path log = node(node).patroni.log();
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return "--- " + node + " ---\n" + PgInstallation.mask(String.join("\n",
                    lines.subList(Math.max(0, lines.size() - 8), lines.size())));
        } catch (IOException | UncheckedIOException e) {
            return "(log of " + node + " unreadable: " + e + ")";
        }
    }

    private Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + name + "'; nodes are " + NODE_NAMES);
        }
        return n;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        pg.own(file);
    }

    private void deleteBase() {
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + base, e);
        }
    }

    private static void step(List<RuntimeException> failures, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static PgInstallation installation() {
        try {
            for (String tool : List.of("/usr/bin/patroni", "/usr/bin/etcd", "/usr/sbin/haproxy")) {
                if (!Files.isExecutable(Path.of(tool))) {
                    throw new IllegalStateException(tool + " is missing; install the Debian packages patroni, "
                            + "etcd-server and haproxy (apt-get install patroni etcd-server haproxy)");
                }
            }
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

    private static long currentUid() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
