package dev.bulwark.jdbc.internal.pool;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eviction through HikariCP's own API, and the bypass of an empty pool after an outage. Loaded only when
 * HikariCP is on the class path (it is optional).
 *
 * <p>Why the bypass: HikariCP refills its pool from one background thread which, after each failed attempt,
 * sleeps 10 ms, doubling up to 5 s. After an outage of more than a few seconds, the database is back well
 * before that sleep ends, and every borrower waits for it (or fails at its {@code connectionTimeout}). While
 * the pool has no connection at all after an outage, Bulwark opens connections itself with the pool's
 * settings, at most {@code maximumPoolSize} at a time, closed for real when the caller closes them; the
 * bypass ends as soon as the pool has a connection again, and at the latest {@link #BYPASS_WINDOW_NANOS}
 * after its first connection (a pool with {@code minimumIdle = 0} refills only when borrowed from).
 */
final class HikariPoolControl implements PoolControl {

    private static final Logger LOG = LoggerFactory.getLogger(HikariPoolControl.class);

    private static final String HIKARI_PROXY_PACKAGE = "com.zaxxer.hikari.pool.";
    private static final AbortPoolControl ABORT = new AbortPoolControl();
    /** Longer than HikariCP's longest refill back-off (5 s). */
    static final long BYPASS_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(6);
    /** Threads for connects past the pool: made only during a bypass, gone a minute after it. */
    private static final ExecutorService CONNECTORS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
            TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                Thread t = new Thread(runnable, "bulwark-bypass-connect");
                t.setDaemon(true);
                return t;
            });

    /**
     * Threads for borrows through a wrapper around the pool (see {@link #borrowThroughWrapper}); made only while
     * such borrows run, gone a minute after.
     */
    private static final ExecutorService BORROWERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
            TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                Thread t = new Thread(runnable, "bulwark-pool-borrow");
                t.setDaemon(true);
                return t;
            });
    /** How many borrows through a wrapper, per connection the pool may hold, may wait in the pool at once. */
    static final int LATE_BORROWS_PER_CONNECTION = 4;

    private final HikariDataSource hikari;
    /** Whether Bulwark wraps this HikariDataSource itself (not a wrapper around it): then it may borrow directly. */
    private final boolean wrapsHikari;
    private final HikariDirect direct;
    /** Connections lent past the pool and maybe still open; pruned of closed ones when a slot is needed. */
    private final Set<Connection> bypassed = ConcurrentHashMap.newKeySet();
    private int opening; // guarded by this
    private int borrows; // guarded by this: borrows through a wrapper under way, their callers waiting or gone
    private volatile boolean outage;
    private volatile long bypassEnds; // 0 until the bypass lent its first connection

    private HikariPoolControl(HikariDataSource hikari, boolean wrapsHikari) {
        this.hikari = hikari;
        this.wrapsHikari = wrapsHikari;
        this.direct = new HikariDirect(hikari);
        MariaDbFailover.bound(hikari);
    }

    static Optional<PoolControl> tryOf(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h) {
            return Optional.of(new HikariPoolControl(h, true));
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return Optional.of(new HikariPoolControl(dataSource.unwrap(HikariDataSource.class), false));
            }
        } catch (SQLException e) {
            LOG.debug("could not unwrap {} to HikariDataSource: {}", dataSource.getClass().getName(), e.toString());
        }
        return Optional.empty();
    }

    @Override
    public void evict(Connection physical) {
        if (bypassed.remove(physical)) {
            ABORT.evict(physical); // never the pool's: just end it
            return;
        }
        if (!physical.getClass().getName().startsWith(HIKARI_PROXY_PACKAGE)) {
            // Something sits between Bulwark and HikariCP (a tracing or test wrapper), and HikariCP ignores
            // connections that are not its own. Abort the connection, then make one call through the wrapper:
            // it fails with an 08 SQLState, on which HikariCP's own proxy evicts the connection (otherwise it
            // would lend it again within its 500 ms liveness-check bypass).
            ABORT.evict(physical);
            try {
                physical.getAutoCommit();
            } catch (SQLException expected) {
                LOG.debug("{}: aborted connection reported {}, as HikariCP needs to drop it", hikari.getPoolName(),
                        expected.getSQLState());
            }
            return;
        }
        try {
            // Closes the physical connection and removes it from the pool, even while it is borrowed.
            hikari.evictConnection(physical);
        } catch (RuntimeException e) {
            LOG.warn("{}: HikariCP could not evict a connection: {}", hikari.getPoolName(), e.toString());
        }
    }

    @Override
    public boolean evictAll() {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return false; // the pool has not started yet: nothing to evict
        }
        pool.softEvictConnections();
        return true;
    }

    @Override
    public Connection borrow(DataSource target, long waitMillis) throws SQLException {
        // HikariDataSource.getConnection() waits the pool's whole connectionTimeout (30 s by default); its pool
        // takes a shorter wait per call. A started pool is what HikariDataSource would use too.
        long started = System.nanoTime();
        try {
            if (waitMillis < hikari.getConnectionTimeout()) {
                if (!wrapsHikari) {
                    // A DataSource around the pool (Spring's delegating proxies, a tracing or test wrapper) can
                    // only be asked with getConnection(), which waits the pool's whole connectionTimeout.
                    return borrowThroughWrapper(target, Math.max(1, waitMillis), started);
                }
                if (hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
                    return pool.getConnection(Math.max(1, waitMillis));
                }
            }
            return target.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw e instanceof PoolExhaustedException ? e : exhaustedOr(e, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Borrows through the wrapper around the pool on a helper thread that the caller waits for no longer than
     * {@code waitMillis}: HikariCP would otherwise keep the caller for its whole {@code connectionTimeout}
     * (validating idle connections that a hung server left dead, then waiting for a refill that cannot
     * connect), far past the caller's deadline. A connection that arrives after the caller gave up goes back
     * to the pool. Each borrow takes one of {@link #LATE_BORROWS_PER_CONNECTION} times the pool's size slots
     * before it starts (atomically: callers arriving together cannot all pass), gives it back when its caller
     * got its connection or failure in time, and keeps it, when its caller gave up, until the borrow ends in the
     * pool. With every slot taken a new caller fails at once, as it would after its wait: the pool serves
     * nobody, and a thread per caller must not pile up behind it.
     */
    private Connection borrowThroughWrapper(DataSource target, long waitMillis, long started) throws SQLException {
        if (!reserveBorrow()) {
            throw timedOut(waitMillis, started, LATE_BORROWS_PER_CONNECTION + " borrows per connection the pool may "
                    + "hold are already waiting in it (callers that gave up included)");
        }
        CompletableFuture<Connection> borrow;
        try {
            borrow = CompletableFuture.supplyAsync(() -> {
                try {
                    return target.getConnection();
                } catch (SQLException e) {
                    throw new UncheckedSql(e);
                }
            }, BORROWERS);
        } catch (RuntimeException | Error e) {
            releaseBorrow();
            throw e;
        }
        boolean late = false;
        try {
            return borrow.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            late = true;
            borrow.whenComplete((connection, failure) -> {
                closeQuietly(connection); // back to the pool, for the next borrower
                releaseBorrow();
            });
            throw timedOut(waitMillis, started, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedSql sql) {
                throw sql.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLNonTransientConnectionException("pool " + hikari.getPoolName() + ": " + cause, "08001", cause);
        } finally {
            if (!late) {
                releaseBorrow(); // the caller got its connection or its failure in time
            }
        }
    }

    /**
     * The caller's wait for a connection through the wrapper ended: a busy pool (every connection it may hold in
     * use) is {@link PoolExhaustedException}; a pool short of connections it cannot make is a connection fault.
     */
    private SQLException timedOut(long waitMillis, long started, String why) {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        long waited = (System.nanoTime() - started) / 1_000_000;
        String text = "pool " + hikari.getPoolName() + ": no connection within " + waitMillis + " ms (the caller's "
                + "deadline or bulwark.timeout.acquire; the pool's connectionTimeout is " + hikari.getConnectionTimeout()
                + " ms)" + (why == null ? "" : ": " + why);
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(text, "08001");
        if (pool != null && pool.getTotalConnections() >= hikari.getMaximumPoolSize()
                && pool.getActiveConnections() >= pool.getTotalConnections()) {
            return exhaustedOr(new SQLTransientConnectionException(text), waited);
        }
        return timeout;
    }

    /** Takes a slot for a borrow through the wrapper; false when every slot is taken. */
    private synchronized boolean reserveBorrow() {
        if (borrows >= LATE_BORROWS_PER_CONNECTION * Math.max(1, hikari.getMaximumPoolSize())) {
            return false;
        }
        borrows++;
        return true;
    }

    private synchronized void releaseBorrow() {
        borrows--;
    }

    /**
     * HikariCP's "request timed out" is a busy pool only when the pool held every connection it may and none
     * of its connection attempts failed (it then carries the last failure as its cause). A pool short of
     * connections that it cannot make (a server that refuses, or accepts and never answers) is a connection
     * fault, whatever the cause says.
     */
    private SQLException exhaustedOr(SQLTransientConnectionException timeout, long waitedMillis) {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (timeout.getCause() != null || timeout.getSQLState() != null || pool == null
                || pool.getTotalConnections() < hikari.getMaximumPoolSize()) {
            return timeout;
        }
        return new PoolExhaustedException("pool " + hikari.getPoolName() + " is exhausted: all "
                + hikari.getMaximumPoolSize() + " connections were in use for " + waitedMillis + " ms (active "
                + pool.getActiveConnections() + ", idle " + pool.getIdleConnections() + ", waiting "
                + pool.getThreadsAwaitingConnection() + "); the database was not asked and may be healthy. Raise "
                + "the pool's maximumPoolSize, return connections sooner (HikariCP's leakDetectionThreshold finds "
                + "connections held too long), or let callers wait longer (bulwark.timeout.acquire, the unit's "
                + "deadline, and HikariCP's connectionTimeout bound the wait)", hikari.getPoolName(), timeout);
    }

    @Override
    public void outage() {
        if (!outage && direct.possible()) {
            outage = true;
        }
    }

    @Override
    public boolean mayBypass() {
        return outage;
    }

    @Override
    public long maxWaitMillis() {
        return hikari.getConnectionTimeout();
    }

    @Override
    public Connection bypass(long waitMillis) throws SQLException {
        if (!outage) {
            return null; // callers ask mayBypass() first; the flag may have been cleared since
        }
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        long ends = bypassEnds;
        if (pool == null || pool.getTotalConnections() > 0 || (ends != 0 && System.nanoTime() - ends > 0)) {
            endBypass(pool);
            return null;
        }
        if (!reserveSlot()) {
            return null; // as many open past the pool as it may hold: wait for the pool like everyone else
        }
        // The connect runs on its own thread, so that a server that accepts TCP but never answers (frozen,
        // overloaded) holds up the caller no longer than it may wait (its deadline: a multi-host URL may need
        // a while to move past a hung host); a connect that outlives its caller keeps its slot until it ends,
        // and its connection is closed.
        CompletableFuture<Connection> connect;
        try {
            connect = CompletableFuture.supplyAsync(this::openDirectUnchecked, CONNECTORS);
        } catch (RuntimeException e) {
            releaseSlot();
            throw e;
        }
        long wait = Math.max(1, waitMillis);
        try {
            Connection c = connect.get(wait, TimeUnit.MILLISECONDS);
            bypassed.add(c);
            connect.whenComplete((ignored, failure) -> releaseSlot());
            if (bypassEnds == 0) {
                bypassEnds = System.nanoTime() + BYPASS_WINDOW_NANOS;
                LOG.warn("{}: the database is back but HikariCP has no connection yet (it backs off up to 5 s before "
                        + "refilling); lending connections opened outside the pool, at most {}, until it has one",
                        hikari.getPoolName(), hikari.getMaximumPoolSize());
            }
            return c;
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            connect.whenComplete((late, failure) -> {
                closeQuietly(late);
                releaseSlot();
            });
            throw new SQLTransientConnectionException("pool " + hikari.getPoolName() + ": a connection opened past "
                    + "the empty pool got no answer within " + wait + " ms", "08001");
        } catch (ExecutionException e) {
            releaseSlot();
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedSql sql) {
                throw sql.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLNonTransientConnectionException("pool " + hikari.getPoolName() + ": " + cause, "08001", cause);
        }
    }

    /**
     * HikariCP's pooled driver connections, read from its internals (its pool's {@code connectionBag}, each
     * entry's {@code connection}): HikariCP has no API for them, and a connection it is checking with
     * {@code isValid} (5 s by default) on a server that stopped answering can be ended only by aborting it. Where
     * the internals are not what this expects (another HikariCP version, a module that does not open them), it
     * does nothing and says so once.
     */
    @Override
    public void forEachPooled(java.util.function.Consumer<Connection> action) {
        Object pool = hikari.getHikariPoolMXBean();
        if (pool == null || internalsMissing) {
            return;
        }
        try {
            if (bagField == null) {
                java.lang.reflect.Field bag = pool.getClass().getDeclaredField("connectionBag");
                bag.setAccessible(true);
                bagField = bag;
            }
            Object bag = bagField.get(pool);
            java.util.List<?> entries = (java.util.List<?>) bag.getClass().getMethod("values").invoke(bag);
            for (Object entry : entries) {
                if (connectionField == null) {
                    java.lang.reflect.Field f = entry.getClass().getDeclaredField("connection");
                    f.setAccessible(true);
                    connectionField = f;
                }
                if (connectionField.get(entry) instanceof Connection c) {
                    action.accept(c);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            internalsMissing = true;
            LOG.warn("{}: cannot see HikariCP's pooled connections ({}); a pool's check of a connection to a server "
                    + "that stopped answering is bounded by its validationTimeout only", hikari.getPoolName(),
                    e.toString());
        }
    }

    private volatile java.lang.reflect.Field bagField;
    private volatile java.lang.reflect.Field connectionField;
    private volatile boolean internalsMissing;

    @Override
    public Connection openDirect() throws SQLException {
        return direct.possible() ? direct.open() : null;
    }

    private Connection openDirectUnchecked() {
        try {
            return direct.open();
        } catch (SQLException e) {
            throw new UncheckedSql(e);
        }
    }

    /** Carries a connect failure out of the connecting thread. */
    private static final class UncheckedSql extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSql(SQLException cause) {
            super(null, cause, false, false);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private synchronized void releaseSlot() {
        opening--;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a connection nobody waited for failed: {}", e.toString());
            }
        }
    }

    private synchronized boolean reserveSlot() {
        bypassed.removeIf(HikariPoolControl::closed);
        if (bypassed.size() + opening >= hikari.getMaximumPoolSize()) {
            return false;
        }
        opening++;
        return true;
    }

    private void endBypass(HikariPoolMXBean pool) {
        outage = false;
        if (bypassEnds != 0) {
            bypassEnds = 0;
            LOG.info("{}: HikariCP lends connections again ({} in the pool); connections opened outside it close "
                    + "when released", hikari.getPoolName(), pool == null ? 0 : pool.getTotalConnections());
        }
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public boolean boundsWait() {
        return true; // its connectionTimeout, or the shorter wait passed to borrow
    }

    @Override
    public boolean restoresNetworkTimeout(Connection physical) {
        // HikariCP's proxy marks the network timeout dirty and resets it on return; a bypassed connection is
        // closed for real.
        return physical.getClass().getName().startsWith(HIKARI_PROXY_PACKAGE) || bypassed.contains(physical);
    }

    @Override
    public Optional<PoolStats> stats() {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return Optional.empty();
        }
        int open = bypassed.isEmpty() ? 0 : (int) bypassed.stream().filter(c -> !closed(c)).count();
        return Optional.of(new PoolStats(pool.getActiveConnections(), pool.getIdleConnections(),
                pool.getTotalConnections(), pool.getThreadsAwaitingConnection(), open, hikari.getMaximumPoolSize()));
    }

    @Override
    public String toString() {
        return "HikariPoolControl[" + hikari.getPoolName() + "]";
    }
}
