package dev.bulwark.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real InnoDB deadlock between a unit's connection and another session, arranged so that the unit's
 * transaction is the victim: the other session first writes many rows (InnoDB rolls back the lighter
 * transaction), then both lock rows 1 and 2 of {@link ScheduleTarget#LOCKS} in opposite order.
 */
final class Deadlock {

    /**
     * Time the calling thread spent in this helper's own client-side waits (for the peer session), which no
     * library can bound: the schedule's deadline check leaves it out, as it is the work's time, not Bulwark's.
     */
    private static final ThreadLocal<long[]> CLIENT_WAIT_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private Deadlock() {
    }

    /** The client-side wait this thread has spent in {@link #meet} since the last call, and resets it. */
    static long takeClientWaitNanos() {
        long[] w = CLIENT_WAIT_NANOS.get();
        long n = w[0];
        w[0] = 0;
        return n;
    }

    /** Makes {@code unit} meet a deadlock (MySQL 1213); throws whatever its last statement threw. */
    static void meet(Connection unit, ScheduleTarget target) throws SQLException {
        CountDownLatch holdsRow2 = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (Connection c = target.direct(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO " + ScheduleTarget.AUX + " (x) SELECT seq FROM seq_1_to_200");
                s.execute("UPDATE " + ScheduleTarget.LOCKS + " SET v = v + 1 WHERE k = 2");
                holdsRow2.countDown();
                s.execute("UPDATE " + ScheduleTarget.LOCKS + " SET v = v + 1 WHERE k = 1"); // waits for the unit
                c.rollback();
            } catch (SQLException e) {
                holdsRow2.countDown();
            }
        }, "schedule-deadlock-peer");
        other.setDaemon(true);
        other.start();
        // The other session is not awaited: it ends when the unit's transaction does (it may wait for its lock).
        try (Statement s = unit.createStatement()) {
            s.execute("UPDATE " + ScheduleTarget.LOCKS + " SET v = v + 1 WHERE k = 1");
            long waitStart = System.nanoTime();
            await(holdsRow2);
            awaitLockWait(target);
            CLIENT_WAIT_NANOS.get()[0] += System.nanoTime() - waitStart;
            s.execute("UPDATE " + ScheduleTarget.LOCKS + " SET v = v + 1 WHERE k = 2"); // closes the cycle
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) until the other session waits for the unit's lock on row 1. */
    private static void awaitLockWait(ScheduleTarget target) throws SQLException {
        long end = System.nanoTime() + 2_000_000_000L;
        try (Connection c = target.direct(); Statement s = c.createStatement()) {
            while (System.nanoTime() < end) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.innodb_trx"
                        + " WHERE trx_state = 'LOCK WAIT'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                LockSupport.parkNanos(5_000_000);
            }
        }
    }
}
