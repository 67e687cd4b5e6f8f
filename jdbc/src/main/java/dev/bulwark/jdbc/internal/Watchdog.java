package dev.bulwark.jdbc.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends every call that outlives its bound, whatever the driver and pool settings: one sweeper thread per data
 * source looks at each borrowed connection every {@link #PERIOD} and aborts ({@code Connection.abort}) the
 * physical connection of a call still in flight {@link #GRACE} after its bound. The caller then gets the
 * driver's error, which its session reports as the deadline exceeded, and the connection is evicted.
 *
 * <pre>
 * session borrowed   → {@link #watch} takes a slot (one CAS; released by {@link #unwatch})
 * call begins / ends → the session writes its bound / 0 (a release store each, no allocation)
 * every PERIOD       → sweep: bound + GRACE passed? abort the connection on an abort thread, tell the owner
 * acquisition        → {@link #enterAcquisition}/{@link #exitAcquisition}: an overdue one (a pool's validation
 *                      of an idle connection on a server that stopped answering) makes the owner abort idle
 *                      connections
 * </pre>
 *
 * <p>The sweeper starts with the first borrowed connection and ends after {@link #IDLE_STOP} without any, or at
 * {@link #close}; a data source with no connections out has no thread. Aborts run on a shared pool of daemon
 * threads made only while an abort is under way (a driver's abort may block: MariaDB's opens a connection to
 * kill the query). Thread-safe.
 */
final class Watchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    /** How often in-flight calls are looked at. */
    static final Duration PERIOD = Duration.ofMillis(50);
    /**
     * How long past its bound a call may still be in flight before its connection is aborted: the socket
     * timeouts Bulwark sets end it first when they can (they fire at the bound, up to 100 ms late).
     */
    static final Duration GRACE = Duration.ofMillis(150);
    /**
     * How long past its wait an acquisition may still be under way before idle connections are aborted: longer
     * than {@link #GRACE}, since a pool's wait on a busy machine may end late without anything being wrong.
     */
    static final Duration ACQUISITION_GRACE = Duration.ofMillis(500);
    private static final Duration IDLE_STOP = Duration.ofSeconds(30);
    private static final int SLOTS = 1024; // borrowed connections watched at once; more go unwatched (socket timeouts only)
    private static final int ACQUISITION_SLOTS = 64;

    private static final ExecutorService ABORTS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread t = new Thread(runnable, "bulwark-abort");
                t.setDaemon(true);
                return t;
            });

    private final ResilientDataSource owner;
    private final AtomicReferenceArray<Session> sessions = new AtomicReferenceArray<>(SLOTS);
    /**
     * Acquisitions under way: 0 free; negative, {@code -wait - 1}, not yet seen by a sweep; positive, the bound
     * the first sweep that saw it gave it (nanoseconds since {@link #base}: up to one period later than the
     * acquisition began, never earlier, and no clock read on the acquiring thread), moved on by a grace each time
     * the owner is told it is overdue.
     */
    private final AtomicLongArray acquisitions = new AtomicLongArray(ACQUISITION_SLOTS);
    private final long base = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean fullReported = new AtomicBoolean();
    private volatile boolean closed;
    /** {@link System#nanoTime()} at the last sweep (at most {@link #PERIOD} old while any session is watched). */
    private volatile long clock = System.nanoTime();

    Watchdog(ResilientDataSource owner) {
        this.owner = owner;
    }

    /** A coarse {@link System#nanoTime()}: at most one period old while the session reading it is watched. */
    long clock() {
        return clock;
    }

    /** Takes a slot for {@code session}; returns it, or -1 when none is free (the session is then not watched). */
    int watch(Session session) {
        if (closed) {
            return -1;
        }
        int start = home();
        for (int i = 0; i < SLOTS; i++) {
            int slot = (start + i) & (SLOTS - 1);
            if (sessions.get(slot) == null && sessions.compareAndSet(slot, null, session)) {
                ensureRunning();
                return slot;
            }
        }
        if (fullReported.compareAndSet(false, true)) {
            LOG.warn("{}: more than {} connections borrowed at once; the extra ones are bounded by their socket "
                    + "timeouts only", owner.name(), SLOTS);
        }
        return -1;
    }

    void unwatch(Session session, int slot) {
        if (slot >= 0) {
            sessions.compareAndSet(slot, session, null);
        }
    }

    /** An acquisition that may wait {@code waitMillis}; returns its slot for {@link #exitAcquisition}. */
    int enterAcquisition(long waitMillis) {
        if (closed) {
            return -1;
        }
        long marker = -Math.max(0, Math.min(waitMillis, Long.MAX_VALUE / 2_000_000L)) * 1_000_000L - 1;
        int start = home();
        for (int i = 0; i < ACQUISITION_SLOTS; i++) {
            int slot = (start + i) & (ACQUISITION_SLOTS - 1);
            if (acquisitions.get(slot) == 0 && acquisitions.compareAndSet(slot, 0, marker)) {
                ensureRunning();
                return slot;
            }
        }
        return -1;
    }

    void exitAcquisition(int slot) {
        if (slot >= 0) {
            acquisitions.set(slot, 0);
        }
    }

    private static int home() {
        long id = Thread.currentThread().getId();
        return (int) (id * 0x9E3779B97F4A7C15L >>> 40);
    }

    private void ensureRunning() {
        if (running.get() || closed || !running.compareAndSet(false, true)) {
            return;
        }
        clock = System.nanoTime();
        Thread t = new Thread(this::run, "bulwark-watchdog-" + owner.name());
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        long idleSince = System.nanoTime();
        try {
            while (!closed) {
                LockSupport.parkNanos(PERIOD.toNanos());
                long now = System.nanoTime();
                clock = now;
                if (sweepSafely(now)) {
                    idleSince = now;
                } else if (now - idleSince > IDLE_STOP.toNanos()) {
                    running.set(false);
                    // A session that took its slot after this sweep saw running still set: look once more, and keep
                    // going if there is one (it, or the thread it started, wins the flag).
                    if (!sweepSafely(System.nanoTime()) || !running.compareAndSet(false, true)) {
                        return;
                    }
                    idleSince = System.nanoTime();
                }
            }
        } finally {
            if (closed) {
                running.set(false);
            }
        }
    }

    /** A sweep that nothing can end: the watchdog must outlive whatever goes wrong in one pass. */
    private boolean sweepSafely(long now) {
        try {
            return sweep(now);
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: the watchdog's sweep failed: {}", owner.name(), e.toString());
            return true;
        }
    }

    /** One pass; returns whether anything is watched. */
    private boolean sweep(long now) {
        long grace = GRACE.toNanos();
        boolean any = false;
        for (int i = 0; i < SLOTS; i++) {
            Session s = sessions.get(i);
            if (s == null) {
                continue;
            }
            any = true;
            long bound = s.callBound();
            if (bound != 0 && now - bound > grace && s.callBound() == bound) {
                abort(s, now - bound);
            }
        }
        long since = now - base;
        for (int i = 0; i < ACQUISITION_SLOTS; i++) {
            long v = acquisitions.get(i);
            if (v == 0) {
                continue;
            }
            any = true;
            if (v < 0) {
                acquisitions.compareAndSet(i, v, since + (-v - 1)); // first seen now: its bound from here
            } else if (since - v > ACQUISITION_GRACE.toNanos() && acquisitions.compareAndSet(i, v, since)) {
                // Acted on now, and again each grace while it is still under way (a pool may check one idle
                // connection after another).
                long lateMillis = (since - v) / 1_000_000;
                offSweeper(() -> owner.onAcquisitionOverdue(lateMillis));
            }
        }
        return any;
    }

    private void abort(Session s, long lateNanos) {
        if (!s.markAborted()) {
            return; // aborted already; its thread has not come back yet
        }
        LOG.warn("{}: a call was still waiting for the database {} ms past its deadline; aborting its connection",
                owner.name(), lateNanos / 1_000_000);
        abortQuietly(s.physical(), owner.name());
        offSweeper(owner::onCallAborted);
    }

    /** The owner's reactions touch the pool and the driver: never on the sweeper, which must keep looking. */
    private void offSweeper(Runnable action) {
        try {
            ABORTS.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: reacting to an overdue call failed: {}", owner.name(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: could not react to an overdue call: {}", owner.name(), e.toString());
        }
    }

    /**
     * Aborts {@code c} on an abort thread (a driver's abort may block: MariaDB's may connect to kill the query);
     * failures are logged at DEBUG.
     */
    static void abortQuietly(java.sql.Connection c, String dataSource) {
        try {
            ABORTS.execute(() -> {
                try {
                    c.abort(ABORTS);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("{}: aborting a connection failed: {}", dataSource, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: could not abort a connection: {}", dataSource, e.toString());
        }
    }

    /** Calls {@code action} with each watched session (for the owner's abort of idle connections). */
    void forEachWatched(java.util.function.Consumer<Session> action) {
        for (int i = 0; i < SLOTS; i++) {
            Session s = sessions.get(i);
            if (s != null) {
                action.accept(s);
            }
        }
    }

    /** Stops the sweeper; connections borrowed afterwards are bounded by their socket timeouts only. */
    @Override
    public void close() {
        closed = true;
    }
}
