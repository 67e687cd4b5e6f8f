package dev.bulwark.jdbc.internal;

import dev.bulwark.core.Attempt;
import dev.bulwark.core.AttemptContext;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.core.CallOptions;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.Guard;
import dev.bulwark.core.internal.CallState;
import dev.bulwark.core.internal.SqlLiterals;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.Health;
import dev.bulwark.jdbc.JdbcEvent;
import dev.bulwark.jdbc.StatementObserver;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import dev.bulwark.jdbc.internal.pool.PoolControl;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.Resolution;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks.Execution;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/** The {@link BulwarkDataSource} behind {@code Bulwark.wrap}. Thread-safe. */
public final class ResilientDataSource implements BulwarkDataSource {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ResilientDataSource.class);
    /**
     * How far past its deadline a unit's commit phase may run: a unit whose commit acknowledgement is lost
     * returns by its deadline plus this (docs/transactions.md states the bound).
     */
    static final Duration COMMIT_GRACE = Duration.ofSeconds(1);
    /** The part of a short commit phase kept for resolving a lost acknowledgement (at most half of it). */
    private static final long RESOLUTION_RESERVE_NANOS = Duration.ofMillis(500).toNanos();
    private static final long SILENT_EVICTION_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long EXPIRY_WAIT_MILLIS = 250;
    private static final long BYPASS_POLL_NANOS = Duration.ofMillis(50).toNanos();
    private static final CallOptions UNIT = CallOptions.defaults().withOperation("unit").withRetryAllowed(true);

    private final DataSource target;
    private final BulwarkConfig config;
    private final Guard guard;
    private final PoolControl pool;
    private final List<BulwarkListener> listeners;
    private final ThreadLocal<Session> bound = new ThreadLocal<>();
    /** {@code getConnection()}: its whole call, retries included, is bounded by {@code bulwark.timeout.acquire}. */
    private final CallOptions acquireCall;
    private final long acquireMillis;
    /** Whether every connection is closed for good on release, so nothing set on it can reach anyone else. */
    private final boolean ownsConnections;
    private final long networkMillis; // bulwark.timeout.network; 0: none
    private final AtomicBoolean probeConnecting = new AtomicBoolean();
    private volatile ServerFamily serverFamily; // null until the first unit asked
    private volatile long lastSilentEviction; // System.nanoTime() of the last onSilentServer eviction, 0: never
    /** Built once: a capturing lambda and its options per acquisition would be garbage on every call. */
    private final Attempt<Connection> standaloneAcquisition = ctx -> lendStandalone(acquirePhysical(ctx));
    private final ConnectionSetup setup;
    private final Resolvers resolvers;
    private final long slowNanos;
    private final long statementTimeoutNanos;
    private final int maxRows;
    private final int fetchSize;
    private final StatementObserver[] observers; // null when there are none: the statement path checks only that
    /** Aborts calls past their bound; one sweeper thread while connections are out. */
    private final Watchdog watchdog;
    /** Probes the database once calls to it time out; refuses new connections while it is silent. */
    private final HostProbe probe;
    /** The bound of one call on a standalone connection: {@link #standaloneNetworkMillis()}. */
    private final long standaloneCallNanos;
    private final CommitObserver commitObserver; // null unless a cluster router tracks commits for read-your-writes

    public ResilientDataSource(DataSource target, BulwarkConfig config, Guard guard, List<BulwarkListener> listeners,
                               List<StatementObserver> observers) {
        this(target, config, guard, listeners, observers, null);
    }

    /**
     * A data source whose units that may write report each commit to {@code commitObserver} (null: none), on the
     * unit's thread, while the unit still holds its connection: a cluster router's read-your-writes tracking.
     */
    public ResilientDataSource(DataSource target, BulwarkConfig config, Guard guard, List<BulwarkListener> listeners,
                               List<StatementObserver> observers, CommitObserver commitObserver) {
        this.commitObserver = commitObserver;
        this.observers = observers.isEmpty() ? null : observers.toArray(StatementObserver[]::new);
        this.target = target;
        this.config = config;
        this.guard = guard;
        this.listeners = List.copyOf(listeners);
        this.pool = PoolControl.of(target);
        // The jdbc:bulwark: driver's own target opens a connection per borrow and closes it on release.
        this.ownsConnections = target instanceof TargetDataSource;
        this.setup = new ConnectionSetup(config, ownsConnections);
        // Ledger expiry borrows briefly, off the units' threads; a busy pool makes it wait for the next interval.
        this.resolvers = new Resolvers(config.name(), config, () -> openUnguarded(EXPIRY_WAIT_MILLIS));
        this.slowNanos = config.jdbc().slowStatementThreshold().toNanos();
        this.statementTimeoutNanos = config.timeouts().statement().toNanos();
        this.maxRows = config.jdbc().maxRows();
        this.fetchSize = config.jdbc().fetchSize();
        this.acquireMillis = config.timeouts().acquire().toMillis();
        this.networkMillis = config.timeouts().network().toMillis();
        this.acquireCall = CallOptions.defaults().withOperation("acquire").withDeadline(config.timeouts().acquire());
        this.standaloneCallNanos = standaloneNetworkMillis() * 1_000_000L;
        this.watchdog = new Watchdog(this);
        this.probe = new HostProbe(this);
        publish(new JdbcEvent.DataSourceCreated(config.name())); // last: listeners may ask for nothing but the name
    }

    // ---- the public API ----

    @Override
    public <T> T inTransaction(TransactionOptions options, Work<T> work) throws SQLException {
        Session outer = bound.get();
        if (outer != null) {
            return UnitOfWork.nested(outer, work); // joins the outer unit under a savepoint: its commit, its retries
        }
        UnitOfWork<T> unit = new UnitOfWork<>(this, options, work, true);
        return guard.execute(callOptions("unit", options, true), unit::attempt);
    }

    @Override
    public <T> T inAutoCommit(TransactionOptions options, Work<T> work) throws SQLException {
        Session outer = bound.get();
        if (outer != null) {
            return UnitOfWork.nested(outer, work);
        }
        UnitOfWork<T> unit = new UnitOfWork<>(this, options, work, false);
        // Autocommit work may have changed the database before failing: only idempotent work is retried.
        return guard.execute(callOptions("autocommit", options, options.idempotent()), unit::attempt);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Session current = bound.get();
        if (current != null) {
            return current.wrapper();
        }
        // Nothing has been sent yet, so acquiring again after a connection fault is always safe.
        return guard.execute(acquireCall, standaloneAcquisition);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Session current = bound.get();
        if (current != null) {
            throw new SQLNonTransientException(name() + ": getConnection(user, password) inside a unit of work: "
                    + "the unit's connection belongs to its own user", "25000");
        }
        return guard.execute(acquireCall, ctx -> {
            Connection physical = acquire(() -> target.getConnection(username, password),
                    System.nanoTime() + acquireMillis * 1_000_000);
            return lendStandalone(physical);
        });
    }

    @Override
    public Health health() {
        return HealthCheck.run(this);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void close() {
        watchdog.close();
        probe.close();
    }

    /**
     * A connection for a cluster's lag monitor or replay wait, from the pool (or the driver) within
     * {@code waitMillis}, not through the breaker: a sample must not count as traffic, nor be refused while the
     * breaker is open (it is what tells the router the host is back).
     */
    public Connection openForMonitor(long waitMillis) throws SQLException {
        return openUnguarded(waitMillis);
    }

    // ---- for sessions, units and health ----

    /**
     * Tells the commit observer, if any, that {@code session}'s unit committed: with its connection while it is
     * still usable, else without (a commit resolved after a lost acknowledgement: the connection is gone).
     */
    void observeCommit(Session session) {
        if (commitObserver == null) {
            return;
        }
        if (session.evictingFault() != null) {
            commitObserver.committedWithoutConnection();
        } else {
            commitObserver.committed(session.physical());
        }
    }

    /** The statement observers, or null when there are none. */
    StatementObserver[] statementObservers() {
        return observers;
    }

    Guard guard() {
        return guard;
    }

    PoolControl pool() {
        return pool;
    }

    DataSource target() {
        return target;
    }

    FaultClassifier classifier() {
        return guard.classifier();
    }

    boolean isSqlite() {
        return setup.isSqlite();
    }

    long slowStatementNanos() {
        return slowNanos;
    }

    long statementTimeoutNanos() {
        return statementTimeoutNanos;
    }

    /** Whether {@code physical}'s session enforces the default statement timeout itself (PostgreSQL). */
    boolean hasServerStatementTimeout(Connection physical) {
        return setup.hasServerStatementTimeout(physical);
    }

    /** {@code physical}'s session may have changed its statement timeout: set it again when next lent. */
    void forgetServerStatementTimeout(Connection physical) {
        setup.forgetServerStatementTimeout(physical);
    }

    int maxRows() {
        return maxRows;
    }

    int fetchSize() {
        return fetchSize;
    }

    CommitResolver resolver() {
        return resolvers.get();
    }

    /** The {@code commitResolution} component of {@link #health()}. */
    Health.Component commitResolutionHealth() {
        return resolvers.health();
    }

    /** The family of the database behind {@code physical}, asked once per data source. */
    ServerFamily serverFamily(Connection physical) throws SQLException {
        ServerFamily family = serverFamily;
        if (family == null) {
            family = isSqlite() ? ServerFamily.SQLITE : ServerFamily.of(physical);
            serverFamily = family;
        }
        return family;
    }

    /**
     * How long the resolution of a lost plain {@code commit()} (no unit, so no deadline) may take:
     * {@code bulwark.timeout.commit}, never below one second.
     */
    Duration plainCommitResolutionBudget() {
        Duration commit = config.timeouts().commit();
        return commit.compareTo(COMMIT_GRACE) < 0 ? COMMIT_GRACE : commit;
    }

    <T> T runBound(Session session, Work<T> work) throws SQLException {
        bound.set(session);
        try {
            return work.run(session.wrapper());
        } finally {
            bound.remove();
        }
    }

    /**
     * Starts the health probe's connect on its own daemon thread (see {@code HealthCheck}), or returns null
     * while the previous one is still waiting: a hung server costs at most one thread per data source.
     */
    CompletableFuture<Connection> startProbeConnect() {
        if (!probeConnecting.compareAndSet(false, true)) {
            return null;
        }
        CompletableFuture<Connection> connect = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                connect.complete(openUnguarded(Long.MAX_VALUE));
            } catch (SQLException | RuntimeException e) {
                connect.completeExceptionally(e);
            } finally {
                probeConnecting.set(false);
            }
        }, "bulwark-health-connect-" + name());
        t.setDaemon(true);
        t.start();
        return connect;
    }

    Connection acquirePhysical(AttemptContext context) throws SQLException {
        long wait = Math.min(acquireMillis, waitMillis(context));
        // When the wait ends, for the set-up's round trips; a first attempt's starts with its call, read already.
        long start = context instanceof CallState call && call.attempt() == 1 ? call.startNanos() : System.nanoTime();
        // Watched: a pool's check of an idle connection (HikariCP: isValid for validationTimeout, 5 s by default)
        // on a server that stopped answering outlives the wait; the watchdog then aborts the idle connections.
        int slot = isSqlite() ? -1 : watchdog.enterAcquisition(wait);
        try {
            return acquireUnguarded(wait, start + wait * 1_000_000);
        } finally {
            watchdog.exitAcquisition(slot);
        }
    }

    /**
     * How long an attempt may wait for its connection: what is left of its deadline (and never more than
     * {@code bulwark.timeout.acquire}, applied by the caller). On a first attempt that
     * is the call's whole budget, known without reading the clock (a clock read costs about 25 ns on some
     * virtual machines, a quarter of the acquisition budget); the few microseconds since the call began are
     * immaterial to a wait measured in milliseconds.
     */
    private static long waitMillis(AttemptContext context) {
        if (context instanceof CallState call && call.attempt() == 1) {
            return call.remainingNanos(call.startNanos()) / 1_000_000;
        }
        return context.remaining().toMillis();
    }

    /**
     * A plain new connection for commit resolution, waiting no later than {@code endsNanos} (the end of the
     * resolution's budget): not through the breaker, which may be open by now.
     */
    Connection acquireForResolution(long endsNanos) throws SQLException {
        long wait = Math.max(1, (endsNanos - System.nanoTime()) / 1_000_000);
        // On a thread of its own, so that nothing the pool or driver does while connecting outlives the budget:
        // a non-HikariCP DataSource waits as long as it was configured to (a driver's login on a server that
        // accepts TCP but never answers: forever), and HikariCP's check of an idle connection runs isValid for
        // at least a whole second (pgjdbc rounds to seconds), whatever the wait asked for.
        CompletableFuture<Connection> connect = CompletableFuture.supplyAsync(() -> {
            try {
                return openUnguarded(wait);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, RESOLUTION_CONNECTS);
        try {
            // Its queries must not outlive the budget either: the resolver's SessionScope bounds its network
            // timeout before anything is sent, never loosening a tighter one, and puts back what the connection
            // came with before it goes back to the pool.
            return connect.get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            connect.whenComplete((late, failure) -> {
                if (late != null) {
                    try {
                        late.close();
                    } catch (SQLException closeFailure) {
                        LOG.debug("closing a late resolution connection failed: {}", closeFailure.toString());
                    }
                }
            });
            throw new SQLTransientConnectionException(name() + ": no connection for commit resolution within " + wait
                    + " ms", "08001");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLTransientConnectionException(name() + ": commit resolution could not connect: " + cause,
                    "08001", cause);
        }
    }

    /** Threads for resolution's connects: made only while a lost commit is resolved, gone a minute after. */
    private static final ExecutorService RESOLUTION_CONNECTS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
            TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                Thread t = new Thread(runnable, "bulwark-resolution-connect");
                t.setDaemon(true);
                return t;
            });

    /**
     * A connection from the pool, or, while the pool is empty after an outage and slow to refill, one opened
     * past it within {@code waitMillis} (see {@link PoolControl#bypass}); not through the guard.
     */
    Connection openUnguarded(long waitMillis) throws SQLException {
        if (target instanceof TargetDataSource driver) {
            return driver.getConnection(waitMillis); // the jdbc:bulwark: driver's own connect, bounded by the wait
        }
        return pool.mayBypass() ? openPastEmptyPool(waitMillis) : pool.borrow(target, waitMillis);
    }

    /**
     * After an outage, with the pool still empty: a connection opened past the pool. While the database
     * refuses, the caller waits as long as it would have waited for the pool alone (its deadline, and the
     * pool's own limit), but tries the database again every {@link #BYPASS_POLL_NANOS} instead of waiting for
     * the pool's refill back-off (up to 5 s), so that an outage shorter than the wait costs only the outage.
     */
    private Connection openPastEmptyPool(long waitMillis) throws SQLException {
        long ends = System.nanoTime() + Math.min(waitMillis, pool.maxWaitMillis()) * 1_000_000;
        SQLException stillDown = null;
        while (true) {
            long left = (ends - System.nanoTime()) / 1_000_000;
            try {
                Connection direct = left > 0 ? pool.bypass(left) : null;
                if (direct != null) {
                    return direct;
                }
            } catch (SQLException refused) {
                stillDown = refused;
                if (ends - System.nanoTime() > BYPASS_POLL_NANOS) {
                    LockSupport.parkNanos(BYPASS_POLL_NANOS);
                    if (Thread.currentThread().isInterrupted()) {
                        throw SqlExceptions.interrupted(name(), refused);
                    }
                    continue;
                }
            }
            // The bypass is over (the pool has connections), all its slots are taken, or time is nearly up.
            try {
                return pool.borrow(target, Math.max(1, (ends - System.nanoTime()) / 1_000_000));
            } catch (SQLException poolFailure) {
                if (stillDown != null) {
                    poolFailure.addSuppressed(stillDown);
                }
                throw poolFailure;
            }
        }
    }

    /**
     * A connection from {@code opener}, prepared and with the commit resolver chosen; the set-up's round trips
     * (on a physical connection not seen before, and until a resolver is chosen) end by {@code ends}
     * ({@link System#nanoTime()}), when the wait for the connection ends.
     */
    /** {@link #acquire} from the pool or the driver directly: not through an Opener, whose capturing lambda per borrow is garbage. */
    private Connection acquireUnguarded(long waitMillis, long ends) throws SQLException {
        resolvers.checkConfigured(); // a configuration that cannot work fails before any connection is opened
        if (probe.silent()) {
            throw SqlExceptions.hostSilent(name(), probe.silentMillis());
        }
        Connection physical;
        try {
            physical = openUnguarded(waitMillis);
        } catch (SQLException e) {
            throw openFailed(e);
        }
        return prepared(physical, ends);
    }

    private Connection acquire(ConnectionSetup.Opener opener, long ends) throws SQLException {
        resolvers.checkConfigured(); // a configuration that cannot work fails before any connection is opened
        if (probe.silent()) {
            // Every connect and every pooled connection's check would wait the driver's and pool's timeouts.
            throw SqlExceptions.hostSilent(name(), probe.silentMillis());
        }
        Connection physical;
        try {
            physical = opener.open();
        } catch (SQLException e) {
            throw openFailed(e);
        }
        return prepared(physical, ends);
    }

    /** A connection that could not be opened: an outage of the pool if the fault is the connection's. */
    private SQLException openFailed(SQLException e) {
        Fault fault = classifier().classify(e);
        if (fault.kind() == FaultKind.CONNECTION) {
            pool.outage();
        }
        return SqlExceptions.translate(e, fault);
    }

    /**
     * {@code physical}, just opened or borrowed, prepared for use (or evicted and the failure thrown); the
     * set-up's round trips end by {@code ends}.
     */
    private Connection prepared(Connection physical, long ends) throws SQLException {
        try {
            setup.prepare(physical, ends); // the clock is read only if it sends something
        } catch (SQLException e) {
            Fault fault = classifier().classify(e);
            evict(physical, fault); // a read cut by its bound leaves the driver's stream unusable
            if (SqlExceptions.readTimedOut(e)) {
                throw SqlExceptions.setUpTimedOut(name(), e); // the wait ran out, whatever the driver calls it
            }
            throw SqlExceptions.translate(e, fault);
        } catch (RuntimeException e) {
            evict(physical, classifier().classify(e));
            throw e;
        }
        try {
            resolvers.chooseOn(physical, isSqlite() ? 0 : ends);
        } catch (SQLException misconfigured) {
            // The configuration failed, not the connection: it goes back to the pool, the error goes up as it is.
            try {
                physical.close();
            } catch (SQLException e) {
                misconfigured.addSuppressed(e);
            }
            throw misconfigured;
        } catch (RuntimeException e) {
            evict(physical, classifier().classify(e));
            throw e;
        }
        return physical;
    }

    /**
     * A connection handed to the application outside any unit, its socket reads bounded by
     * {@code bulwark.timeout.network} (unless the connection came with a tighter bound).
     */
    private Connection lendStandalone(Connection physical) throws SQLException {
        Session session = Session.standalone(this, physical);
        if (!isSqlite()) {
            try {
                session.boundNetworkTimeout(standaloneNetworkMillis());
            } catch (SQLException e) {
                session.abandonUnlent();
                Fault fault = classifier().classify(e);
                evict(physical, fault);
                throw SqlExceptions.translate(e, fault);
            }
        }
        return session.wrapper();
    }

    /**
     * The network timeout of a unit's connection: what is left of its deadline, never beyond
     * {@code bulwark.timeout.network}; a hung server then fails the unit at its deadline instead of at the
     * network timeout (the statement timeouts of a deadline-bound unit are set to fire just after it).
     */
    long unitNetworkMillis(long deadlineNanos) {
        long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        return networkMillis == 0 ? left : Math.min(left, networkMillis);
    }

    /**
     * The network timeout of a connection handed to the application outside any unit: {@code bulwark.timeout.network},
     * and never beyond {@code bulwark.timeout.total}, the deadline of one call (each call on such a connection is
     * one call).
     */
    long standaloneNetworkMillis() {
        long total = config.timeouts().total().toMillis();
        return networkMillis == 0 ? total : Math.min(networkMillis, total);
    }

    /** The network timeout of a plain {@code commit()} outside any unit: {@code bulwark.timeout.commit}. */
    long plainCommitNetworkMillis() {
        return Math.min(standaloneNetworkMillis(), Math.max(1, config.timeouts().commit().toMillis()));
    }

    /**
     * When a unit's commit phase ends ({@link System#nanoTime()}). The phase (the resolver's query, COMMIT, and if
     * its acknowledgement is lost, the resolution) ends at the unit's deadline, or, for a unit whose work left it
     * less than {@link #COMMIT_GRACE}, a grace after the phase starts, never later than the deadline plus the
     * grace: a unit whose work used up its deadline still gets a fair chance to commit, and a lost
     * acknowledgement costs at most the grace beyond the deadline.
     */
    long commitPhaseEnds(long deadlineNanos) {
        long grace = COMMIT_GRACE.toNanos();
        return Math.min(deadlineNanos + grace, Math.max(deadlineNanos, System.nanoTime() + grace));
    }

    /**
     * The network timeout of a unit's COMMIT: {@code bulwark.timeout.commit}, and its share of the commit phase,
     * which leaves part of the phase to the resolution of a lost acknowledgement.
     */
    long commitNetworkMillis(long phaseEndsNanos) {
        long left = Math.max(1_000_000, phaseEndsNanos - System.nanoTime());
        long forCommit = Math.max(1_000_000, left - Math.min(RESOLUTION_RESERVE_NANOS, left / 2));
        return Math.min(forCommit, config.timeouts().commit().toNanos()) / 1_000_000;
    }

    /**
     * The network timeout of a unit's rollback: {@code bulwark.timeout.commit}, and what is left of the unit's
     * deadline but never below the grace, so that a rollback neither hangs nor is cut short at once.
     */
    long rollbackNetworkMillis(long deadlineNanos) {
        long left = Math.max(COMMIT_GRACE.toNanos(), deadlineNanos - System.nanoTime()) / 1_000_000;
        return Math.min(left, config.timeouts().commit().toMillis());
    }

    /**
     * Whether a network timeout Bulwark set on {@code physical} must be undone before it is released: not when
     * Bulwark owns its connections (closed on release) or the pool restores it itself (HikariCP).
     */
    boolean mustRestoreNetworkTimeout(Connection physical) {
        return !ownsConnections && !pool.restoresNetworkTimeout(physical);
    }

    void evict(Connection physical, Fault fault) {
        LOG.warn("{}: evicting a connection after {}", name(), fault);
        pool.evict(physical);
        if (fault.kind() == FaultKind.CONNECTION) {
            pool.outage();
        }
        publish(new JdbcEvent.ConnectionEvicted(name(), fault.kind(), fault.sqlState()));
    }

    void onReadOnly(Fault fault) {
        if (pool.evictAll()) {
            LOG.warn("{}: server is read-only ({}); evicting every pooled connection to reach the new primary",
                    name(), fault);
            publish(new JdbcEvent.PoolEvicted(name(), fault.kind()));
        }
    }

    /**
     * A connection got no answer until its unit's deadline. The server may be hung (frozen, overloaded, cut
     * off), and then so is every idle pooled connection to it; HikariCP lends a connection used within the
     * last 500 ms without checking it, so each would cost another caller a whole deadline. Idle connections
     * are evicted (busy ones when returned), at most once per {@link #SILENT_EVICTION_INTERVAL_NANOS}: a
     * merely slow statement on a healthy server costs a few reconnections, no more.
     */
    void onSilentServer(Fault fault) {
        probe.suspect();
        long now = System.nanoTime();
        long last = lastSilentEviction;
        if (last != 0 && now - last < SILENT_EVICTION_INTERVAL_NANOS) {
            return;
        }
        lastSilentEviction = now;
        if (pool.evictAll()) {
            LOG.warn("{}: a connection got no answer until its deadline; evicting the idle pooled connections, "
                    + "which would hang the same way if the server is hung", name());
            publish(new JdbcEvent.PoolEvicted(name(), fault.kind()));
        }
    }

    // ---- the watchdog and the probe ----

    /** The watchdog that sessions register with; null for SQLite (no socket to hang on). */
    Watchdog watchdog() {
        return isSqlite() ? null : watchdog;
    }

    /** The bound of one call on a standalone connection, in nanoseconds. */
    long standaloneCallNanos() {
        return standaloneCallNanos;
    }

    /** The watchdog aborted a connection whose call outlived its bound: the server may be hung. */
    void onCallAborted() {
        onSilentServer(classifier().classify(SqlExceptions.deadlineExceeded(name(), null)));
    }

    /**
     * An acquisition outlived its wait: the pool is checking an idle connection (or the database is setting one up)
     * on a server that does not answer. Idle connections are aborted, so such checks fail at once.
     */
    void onAcquisitionOverdue(long lateMillis) {
        LOG.warn("{}: getting a connection took {} ms past its wait; the server may have stopped answering", name(),
                lateMillis);
        probe.suspect();
        abortIdle();
    }

    /** The probe got no answer: every idle connection would hang its next borrower's check. */
    void onHostSilent() {
        abortIdle();
        pool.evictAll();
    }

    /**
     * Aborts the driver connections lent before that are not lent now (idle in the pool, or being checked by it).
     */
    private void abortIdle() {
        java.util.Set<Connection> lentNow = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        watchdog.forEachWatched(s -> lentNow.add(ConnectionSetup.driverOf(s.physical())));
        int[] aborted = {0};
        java.util.function.Consumer<Connection> abortUnlent = c -> {
            if (!lentNow.contains(c)) {
                try {
                    if (!c.isClosed()) {
                        Watchdog.abortQuietly(c, name());
                        aborted[0]++;
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("{}: checking an idle connection failed: {}", name(), e.toString());
                }
                lentNow.add(c); // once each
            }
        };
        setup.forEachSeen(abortUnlent);
        pool.forEachPooled(abortUnlent); // HikariCP's, also those Bulwark never lent
        if (aborted[0] > 0) {
            LOG.warn("{}: aborted {} idle connections to a server that does not answer", name(), aborted[0]);
        }
    }

    /** A connection for the host probe: past the pool where Bulwark can open one, else borrowed within the wait. */
    Connection openForProbe(long waitMillis) throws SQLException {
        Connection direct = target instanceof TargetDataSource ? null : pool.openDirect();
        return direct != null ? direct : openUnguarded(waitMillis);
    }

    /** Whether the probe finds the database silent, and for how long (ms; 0: not silent). */
    long silentMillis() {
        return probe.silentMillis();
    }

    void onSlowStatement(Execution kind, String sql, long elapsedNanos) {
        LOG.warn("{}: slow {} took {} ms", name(), kind, elapsedNanos / 1_000_000);
        LoggerFactory.getLogger("dev.bulwark.jdbc.sql").debug("{}: slow statement: {}", name(), SqlLiterals.redact(sql));
        publish(new JdbcEvent.SlowStatement(name(), kind.name(), Duration.ofNanos(elapsedNanos)));
    }

    void onCommitResolved(Resolution resolution) {
        LOG.warn("{}: connection lost during COMMIT; resolved as {} ({})", name(), resolution.outcome(),
                resolution.detail());
        publish(new JdbcEvent.CommitResolved(name(), resolution.outcome(), resolution.detail()));
    }

    void publish(BulwarkEvent event) {
        for (BulwarkListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("{}: event listener {} failed on {}: {}", name(), l, event, e.toString());
            }
        }
    }

    private CallOptions callOptions(String operation, TransactionOptions options, boolean retry) {
        if (options == TransactionOptions.defaults() && retry && operation.equals("unit")) {
            return UNIT; // the common case, without two allocations per unit
        }
        CallOptions call = CallOptions.defaults().withOperation(operation).withRetryAllowed(retry);
        if (options.deadline().isPresent()) {
            call = call.withDeadline(options.deadline().get());
        }
        if (options.maxAttempts().isPresent()) {
            call = call.withMaxAttempts(options.maxAttempts().getAsInt());
        }
        return call;
    }

    // ---- javax.sql.DataSource plumbing ----

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "BulwarkDataSource[" + name() + " over " + target.getClass().getName() + "]";
    }
}
