package dev.bulwark.jdbc.cluster.internal;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.Health;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.HostStatus;
import dev.bulwark.jdbc.cluster.ReadToken;
import dev.bulwark.jdbc.internal.CommitObserver;
import dev.bulwark.jdbc.internal.ResilientDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ClusterDataSource} behind {@code Bulwark.wrap(primary, replicas, config)}: a router in front of one
 * {@link ResilientDataSource} per host.
 *
 * <pre>
 * inside a unit on this thread      → the host running it (the nested unit joins it)
 * read-write unit, inAutoCommit,
 * getConnection()                   → primary; a committed unit records its position for this thread
 * read-only unit                    → a replica that qualifies (reachable, role REPLICA, now − freshAsOf ≤ maxLag),
 *                                     preferring one known to have replayed this thread's last commit
 *   none qualifies                  → primary (the primary's fallbacks + 1)
 *   commit not replayed yet         → wait on that replica up to readYourWritesWait (≤ a quarter of the deadline),
 *                                     then the primary
 *   the unit on the replica fails   → (one attempt there) a host fault takes the replica out until its next good sample;
 *     with a fault of the host        the unit runs again on the primary with what is left of its deadline
 *     (not of the work's own SQL)     (the replica got at most half of it: a read-only unit enforced by the server
 *                                     changed nothing, so running it again is safe)
 * </pre>
 */
public final class Router implements ClusterDataSource {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Router.class);

    private final String name;
    private final Topology topology;
    private final Host primary;
    private final Host[] replicas;
    private final Monitor monitor; // null without replicas: nothing to sample
    private final FaultClassifier classifier;
    private final long maxLagNanos;
    private final long waitNanos;
    private final long totalNanos;
    private final ThreadLocal<ResilientDataSource> active = new ThreadLocal<>();
    private final ThreadLocal<Position> lastCommit = new ThreadLocal<>();
    private final AtomicInteger nextReplica = new AtomicInteger();
    private volatile boolean closed;

    /**
     * A router over {@code primary} and {@code replicas}, built by {@code hostFactory} from each plain DataSource
     * with the name and commit observer given (null for replicas and for a cluster without replicas).
     */
    public Router(BulwarkConfig config, FaultClassifier classifier, javax.sql.DataSource primaryTarget,
                  List<javax.sql.DataSource> replicaTargets, HostFactory hostFactory) {
        this.name = config.name();
        this.classifier = classifier;
        this.maxLagNanos = config.get(BulwarkProperties.REPLICA_MAX_LAG).toNanos();
        this.waitNanos = config.get(BulwarkProperties.REPLICA_READ_YOUR_WRITES_WAIT).toNanos();
        this.totalNanos = config.timeouts().total().toNanos();
        long intervalNanos = config.get(BulwarkProperties.REPLICA_SAMPLE_INTERVAL).toNanos();
        if (!replicaTargets.isEmpty() && intervalNanos * 2 > maxLagNanos) {
            throw new IllegalArgumentException(BulwarkProperties.REPLICA_MAX_LAG.key() + " ("
                    + config.get(BulwarkProperties.REPLICA_MAX_LAG) + ") must be at least twice "
                    + BulwarkProperties.REPLICA_SAMPLE_INTERVAL.key() + " ("
                    + config.get(BulwarkProperties.REPLICA_SAMPLE_INTERVAL)
                    + "): a replica's staleness is only known to within a sample interval");
        }
        CommitObserver observer = replicaTargets.isEmpty() ? null : new Commits();
        this.primary = new Host(name, hostFactory.create(primaryTarget, name, observer), true);
        this.replicas = new Host[replicaTargets.size()];
        for (int i = 0; i < replicas.length; i++) {
            String replicaName = replicaName(name, i + 1);
            replicas[i] = new Host(replicaName, hostFactory.create(replicaTargets.get(i), replicaName, null), false);
        }
        int history = (int) Math.min(4096, Math.max(16, 2 * maxLagNanos / intervalNanos + 4));
        this.topology = new Topology(primary, replicas, history);
        Function<Throwable, Fault> classify = classifier::classify;
        this.monitor = replicas.length == 0 ? null : new Monitor(name, topology, intervalNanos, classify);
        if (monitor != null) {
            monitor.start();
        }
    }

    /** Builds one host's Bulwark data source. */
    @FunctionalInterface
    public interface HostFactory {
        /** The data source of one host, named {@code name}, reporting commits to {@code observer} (may be null). */
        ResilientDataSource create(javax.sql.DataSource target, String name, CommitObserver observer);
    }

    /** {@code <name>-replica-<n>}, the name shortened so that it stays a valid {@code bulwark.name}. */
    public static String replicaName(String name, int n) {
        String suffix = "-replica-" + n;
        return name.substring(0, Math.min(name.length(), 64 - suffix.length())) + suffix;
    }

    // ---- units ----

    @Override
    public <T> T inTransaction(TransactionOptions options, Work<T> work) throws SQLException {
        return inTransaction(options, work, lastCommit.get());
    }

    @Override
    public <T> T inTransaction(ReadToken after, TransactionOptions options, Work<T> work) throws SQLException {
        Objects.requireNonNull(after, "after");
        return inTransaction(options, work, Position.union(lastCommit.get(), Position.parse(after.toString())));
    }

    private <T> T inTransaction(TransactionOptions options, Work<T> work, Position token) throws SQLException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        if (replicas.length == 0) {
            return primary.dataSource.inTransaction(options, work); // one host: it joins nested units itself
        }
        ResilientDataSource current = active.get();
        if (current != null) {
            return current.inTransaction(options, work); // joins the unit running on this thread, on its host
        }
        if (!options.readOnly()) {
            return run(primary, options, work, false); // writes go to the primary: the only host that takes them
        }
        return read(options, work, token);
    }

    @Override
    public <T> T inAutoCommit(TransactionOptions options, Work<T> work) throws SQLException {
        if (replicas.length == 0) {
            return primary.dataSource.inAutoCommit(options, work);
        }
        ResilientDataSource current = active.get();
        if (current != null) {
            return current.inAutoCommit(options, work);
        }
        // Autocommit work is not made read-only on the server, so it is never sent to a replica.
        active.set(primary.dataSource);
        try {
            primary.routed.increment();
            return primary.dataSource.inAutoCommit(options, work);
        } finally {
            active.set(null); // not remove(): the next set would allocate a new entry
        }
    }

    private <T> T read(TransactionOptions options, Work<T> work, Position token) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + options.deadline().map(Duration::toNanos).orElse(totalNanos);
        Host replica = null;
        boolean replayed = false;
        if (!closed && token != Position.UNKNOWN) {
            replica = choose(start, token);
            replayed = replica != null && (token == null || replica.position != null && replica.position.includes(token));
            if (replica == null && token != null && waitNanos > 0) {
                replica = choose(start, null); // none known to have the commit yet: wait on one that qualifies
            }
        }
        if (replica == null) {
            return run(primary, remaining(options, deadline), work, true);
        }
        if (!replayed) {
            long wait = Math.min(waitNanos, Math.min((deadline - start) / 4, (deadline - System.nanoTime()) / 2));
            if (!awaitReplay(replica, token, wait)) {
                replica.fallbacks.increment();
                return run(primary, remaining(options, deadline), work, true);
            }
        }
        long slice = Math.max(1_000_000, (deadline - System.nanoTime()) / 2);
        try {
            // One attempt: when the replica fails, running the unit again on the primary is the retry.
            return run(replica, options.toBuilder().withDeadline(Duration.ofNanos(slice)).withMaxAttempts(1).build(),
                    work, false);
        } catch (SQLException e) {
            Fault fault = classifier.classify(e);
            if (!fallsBack(fault)) {
                throw e; // the work's own failure (its SQL, a constraint, a permission): the primary would fail the same
            }
            if (takesOut(fault)) {
                LOG.warn("{}: a read-only unit failed on {} ({}); taking it out until its next good sample, the unit "
                        + "runs on the primary", name, replica.name, fault.message());
                replica.takeOut(fault.kind() + (fault.sqlState() == null ? "" : " " + fault.sqlState()));
            }
            replica.fallbacks.increment();
            try {
                return run(primary, remaining(options, deadline), work, true);
            } catch (SQLException onPrimary) {
                onPrimary.addSuppressed(e);
                throw onPrimary;
            }
        }
    }

    /** A replica that qualifies now and (unless {@code token} is null) is known to have replayed it, or null. */
    private Host choose(long now, Position token) {
        int n = replicas.length;
        int first = n == 1 ? 0 : Math.floorMod(nextReplica.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Host r = replicas[(first + i) % n];
            if (r.qualifies(now, maxLagNanos)) {
                Position p = r.position;
                if (token == null || p != null && p.includes(token)) {
                    return r;
                }
            }
        }
        return null;
    }

    /** Waits on {@code replica} until it has replayed {@code token}, at most {@code waitFor} nanoseconds. */
    private boolean awaitReplay(Host replica, Position token, long waitFor) {
        if (waitFor <= 0 || replica.dialect == null) {
            return false;
        }
        long ends = System.nanoTime() + waitFor;
        try (Connection c = replica.dataSource.openForMonitor(Math.max(1, waitFor / 1_000_000))) {
            int saved = c.getNetworkTimeout();
            int bound = (int) Math.max(1, waitFor / 1_000_000 + 1000);
            c.setNetworkTimeout(Runnable::run, saved == 0 ? bound : Math.min(saved, bound));
            try {
                Position reached = replica.dialect.awaitReplay(c, token, ends);
                if (reached != null) {
                    replica.advance(reached);
                    return true;
                }
                return false;
            } finally {
                c.setNetworkTimeout(Runnable::run, saved);
            }
        } catch (SQLException | RuntimeException e) {
            Fault fault = classifier.classify(e);
            if (takesOut(fault)) {
                replica.takeOut(fault.kind() + (fault.sqlState() == null ? "" : " " + fault.sqlState()));
            }
            LOG.debug("{}: waiting for {} to replay a commit failed: {}", name, replica.name, fault.message());
            return false;
        }
    }

    private <T> T run(Host host, TransactionOptions options, Work<T> work, boolean fallback) throws SQLException {
        if (fallback) {
            host.fallbacks.increment();
        }
        host.routed.increment();
        active.set(host.dataSource);
        try {
            return host.dataSource.inTransaction(options, work);
        } finally {
            active.set(null); // not remove(): the next set would allocate a new entry
        }
    }

    private static TransactionOptions remaining(TransactionOptions options, long deadline) {
        long left = Math.max(1_000_000, deadline - System.nanoTime());
        return options.toBuilder().withDeadline(Duration.ofNanos(left)).build();
    }

    /** Whether a read-only unit that failed on a replica with {@code fault} is run again on the primary. */
    private static boolean fallsBack(Fault fault) {
        return switch (fault.kind()) {
            // The work's own error: the primary would answer the same.
            // A read-only fault in a read-only unit: the work tried to write, which the primary refuses as well.
            case CONSTRAINT, PERMISSION, PROGRAMMING, READ_ONLY -> false;
            // The replica could not serve the unit (down, slow, busy, a recovery conflict, a refusal, anything unknown).
            default -> true;
        };
    }

    /** Whether {@code fault} says the host itself is unwell, so no read should go there until it answers again. */
    private static boolean takesOut(Fault fault) {
        return fault.kind() == FaultKind.CONNECTION || fault.kind() == FaultKind.TIMEOUT
                || fault.kind() == FaultKind.RESOURCE || fault.kind() == FaultKind.STORAGE_FULL
                || fault.kind() == FaultKind.CORRUPTION;
    }

    // ---- read-your-writes ----

    /** Records each commit's position on the primary for the committing thread. */
    private final class Commits implements CommitObserver {
        @Override
        public void committed(Connection physical) {
            try {
                Dialect dialect = primary.dialect;
                if (dialect == null) {
                    dialect = Dialect.of(physical);
                    primary.dialect = dialect;
                }
                Position at = dialect.commitPosition(physical);
                if (at != null) {
                    lastCommit.set(Position.after(lastCommit.get(), at));
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("{}: could not read a commit's position ({}); this thread reads from the primary until its "
                        + "next commit", name, e.toString());
                lastCommit.set(Position.UNKNOWN);
            }
        }

        @Override
        public void committedWithoutConnection() {
            lastCommit.set(Position.UNKNOWN);
        }
    }

    @Override
    public ReadToken readToken() {
        Position p = lastCommit.get();
        return p == null ? ReadToken.NONE : ReadToken.parse(p.toString());
    }

    @Override
    public void adopt(ReadToken token) {
        Objects.requireNonNull(token, "token");
        Position p = Position.union(lastCommit.get(), Position.parse(token.toString()));
        if (p == null) {
            lastCommit.remove();
        } else {
            lastCommit.set(p);
        }
    }

    // ---- state ----

    @Override
    public List<HostStatus> hosts() {
        long now = System.nanoTime();
        List<HostStatus> all = new ArrayList<>(1 + replicas.length);
        all.add(primary.status(now, maxLagNanos));
        for (Host r : replicas) {
            all.add(r.status(now, maxLagNanos));
        }
        return all;
    }

    /** The primary's health (breaker, pool, connectivity), and one component per host ({@code host:<name>}). */
    @Override
    public Health health() {
        Map<String, Health.Component> components = new LinkedHashMap<>(primary.dataSource.health().components());
        if (replicas.length == 0) {
            return Health.of(components);
        }
        long now = System.nanoTime();
        for (Host h : concat()) {
            HostStatus s = h.status(now, maxLagNanos);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("role", s.role().name());
            details.put("available", s.available());
            details.put("lagMs", s.lag().map(Duration::toMillis).orElse(null));
            details.put("routedUnits", s.routedUnits());
            details.put("fallbacks", s.fallbacks());
            s.problem().ifPresent(p -> details.put("problem", p));
            boolean fine = h.primary ? s.available() : h.qualifies(now, maxLagNanos);
            components.put("host:" + s.name(), new Health.Component(fine ? Health.Status.UP : Health.Status.DEGRADED,
                    details));
        }
        return Health.of(components);
    }

    private List<Host> concat() {
        List<Host> all = new ArrayList<>();
        all.add(primary);
        all.addAll(List.of(replicas));
        return all;
    }

    @Override
    public void close() {
        closed = true;
        if (monitor != null) {
            monitor.close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    // ---- plain DataSource: the primary ----

    @Override
    public Connection getConnection() throws SQLException {
        if (replicas.length == 0) {
            return primary.dataSource.getConnection();
        }
        ResilientDataSource current = active.get();
        return current != null ? current.getConnection() : primary.dataSource.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        ResilientDataSource current = active.get();
        return (current != null ? current : primary.dataSource).getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return primary.dataSource.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        primary.dataSource.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        primary.dataSource.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return primary.dataSource.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return primary.dataSource.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : primary.dataSource.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || primary.dataSource.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ClusterDataSource[" + name + ": primary and " + replicas.length + " replica(s)]";
    }
}
