package dev.bulwark.jdbc;

import dev.bulwark.jdbc.Schedule.Fault;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The faults of one unit of a {@link Schedule}: fired by the work on its first attempt just before the
 * statement they are bound to, and all ended (network healed, standby thawed, pool released, injections
 * disarmed) when the unit returns. Also what the unit's checks need to know: whether the standby was frozen,
 * whether a plain connection's {@code commit()} was called and returned, and its longest call.
 */
final class UnitFaults {

    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "schedule-timer");
        t.setDaemon(true);
        return t;
    });

    /** A JDBC call of the plain-connection path. */
    interface Call<T> {
        T run() throws SQLException;
    }

    private final ScheduleTarget target;
    private final Fault fault;
    volatile boolean standbyFrozen;
    volatile boolean committed;
    volatile boolean commitCalled;
    long longestCall;
    /** When the first attempt's work ended and its COMMIT was about to be sent ({@link System#nanoTime()}), or 0. */
    volatile long commitSentNanos;
    /** When the work of the unit's last attempt returned or threw ({@link System#nanoTime()}), or 0. */
    volatile long workEndedNanos;

    private ScheduledFuture<?> timer;
    private Thread holder;
    private final AtomicBoolean held = new AtomicBoolean();
    private final CountDownLatch release = new CountDownLatch(1);

    UnitFaults(ScheduleTarget target, Fault fault) {
        this.target = target;
        this.fault = fault;
    }

    /** Runs {@code call}, keeping its wall time in {@link #longestCall} when it is the longest so far. */
    <T> T timed(Call<T> call) throws SQLException {
        long start = System.nanoTime();
        try {
            return call.run();
        } finally {
            longestCall = Math.max(longestCall, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Fires the fault if it is bound to {@code statement} (the work calls this on its first attempt only). */
    void before(int statement, long session) throws SQLException {
        if (fault == null || fault.atStatement() != statement) {
            return;
        }
        switch (fault.kind()) {
            case COMMIT_CUT -> target.proxy.cutOnCommit(1);
            case FREEZE -> {
                target.proxy.blackhole(true);
                timer = TIMERS.schedule(() -> target.proxy.blackhole(false), fault.duration().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            case SESSION_KILL -> target.kill(session);
            case STANDBY_STALL -> {
                target.standby.freeze();
                standbyFrozen = true;
            }
            case FAILED_ROLLBACK -> {
                target.dataSource.failNextRollback();
                throw new SQLTransactionRollbackException("injected serialization failure", "40001");
            }
            case FAILED_CLOSE -> target.dataSource.failNextClose();
            case POOL_EXHAUSTED -> {
                // fired before the unit began: see exhaustPool
            }
            default -> throw new IllegalStateException(fault.toString());
        }
    }

    /** Whether the pool holder still holds its connections. */
    boolean holding() {
        return holder != null && holder.isAlive() && held.get();
    }

    /** Another thread takes every pooled connection and holds them for the fault's duration. */
    void exhaustPool() throws InterruptedException {
        CountDownLatch taken = new CountDownLatch(ScheduleTarget.POOL_SIZE);
        holder = new Thread(() -> {
            List<Connection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < ScheduleTarget.POOL_SIZE; i++) {
                    connections.add(target.pool.getConnection());
                    taken.countDown();
                }
                held.set(true);
                release.await(fault.duration().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // a held connection that cannot be had: the unit meets a smaller shortage
            } finally {
                held.set(false);
                for (Connection c : connections) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // returned to the pool as well as it can be
                    }
                }
            }
        }, "schedule-pool-holder");
        holder.setDaemon(true);
        holder.start();
        taken.await(2, TimeUnit.SECONDS);
    }

    void end() throws Exception {
        if (timer != null) {
            timer.cancel(false);
        }
        if (holder != null) {
            release.countDown();
            holder.join(10_000);
        }
        target.settle();
    }
}
