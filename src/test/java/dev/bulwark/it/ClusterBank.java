package dev.bulwark.it;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bank workload of one client stack on a cluster: THREADS tellers, one transfer per transaction, every
 * call's outcome and timing recorded, so that a scenario can check afterwards that no acknowledged transfer
 * was lost or applied twice and no transfer reported failed was applied, and measure the write stall.
 */
final class ClusterBank {

    static final int ACCOUNTS = 40;
    static final int START_BALANCE = 1_000;
    static final int THREADS = 4;
    private static final long SLOW_NANOS = 3_000_000_000L;
    private static final ThreadMXBean THREADS_MX = ManagementFactory.getThreadMXBean();

    static {
        if (THREADS_MX.isThreadContentionMonitoringSupported()) {
            THREADS_MX.setThreadContentionMonitoringEnabled(true); // blocked/waited times per thread, for slow calls
        }
    }

    enum Outcome { ACKNOWLEDGED, FAILED, UNKNOWN }

    /** One call: transfer id, when it started and ended (System.nanoTime), how it ended. */
    record Call(String id, long start, long end, Outcome outcome, String detail) {
        long millis() {
            return (end - start) / 1_000_000;
        }
    }

    /** Runs one transfer: moves amount from src to dst and inserts (id, src, dst, amount) into transfer. */
    @FunctionalInterface
    interface Teller {
        Outcome transfer(String id, int from, int to, int amount) throws SQLException;
    }

    final String label;
    private final Teller teller;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private ExecutorService threads;

    ClusterBank(String label, Teller teller) {
        this.label = label;
        this.teller = teller;
    }

    void start(long seed) {
        calls.clear();
        running.set(true);
        threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "bank-" + label);
            t.setDaemon(true);
            return t;
        });
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed + t);
            threads.submit(() -> {
                while (running.get()) {
                    one(random);
                }
            });
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        if (!threads.awaitTermination(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + ": tellers still busy 90 s after the stop");
        }
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** Whether an acknowledged call ended after {@code since}. */
    boolean wroteAfter(long since) {
        return calls.stream().anyMatch(c -> c.outcome() == Outcome.ACKNOWLEDGED && c.end() > since);
    }

    private void one(Random random) {
        String id = label + "-" + sequence.incrementAndGet();
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        int amount = 1 + random.nextInt(50);
        ThreadTimes before = ThreadTimes.now();
        long start = System.nanoTime();
        Outcome outcome;
        String detail = "";
        try {
            outcome = teller.transfer(id, from, to, amount);
        } catch (SQLException e) {
            outcome = "08007".equals(e.getSQLState()) ? Outcome.UNKNOWN : Outcome.FAILED;
            detail = e.getClass().getSimpleName() + " " + e.getSQLState() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            outcome = Outcome.FAILED;
            detail = e.toString();
        }
        long end = System.nanoTime();
        if (end - start > SLOW_NANOS) { // past the deadline and its grace: where the time went, on this thread
            detail = detail + " " + ThreadTimes.now().since(before, end - start);
        }
        calls.add(new Call(id, start, end, outcome, detail));
        if (outcome != Outcome.ACKNOWLEDGED) {
            pause(); // a failing stack must not spin two shared cores
        }
    }

    /** The transfer's statements on {@code c}, in the caller's transaction. */
    static void transferOn(Connection c, String id, int from, int to, int amount) throws SQLException {
        move(c, from, -amount);
        move(c, to, amount);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO transfer VALUES (?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setInt(2, from);
            p.setInt(3, to);
            p.setInt(4, amount);
            p.executeUpdate();
        }
    }

    private static void move(Connection c, int account, int delta) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
            p.setInt(1, delta);
            p.setInt(2, account);
            p.executeUpdate();
        }
    }

    /**
     * This thread's CPU time, its time blocked on monitors and waiting (park, wait, sleep), and the JVM's GC
     * time: what a slow call's wall time splits into. The rest is time the thread was runnable without running
     * (no free core) or in native code (a socket or a pipe write; none on the path of a call that failed to
     * connect, whose connects run on other threads).
     */
    private record ThreadTimes(long cpuNanos, long blockedMillis, long waitedMillis, long gcMillis) {
        static ThreadTimes now() {
            ThreadInfo info = THREADS_MX.getThreadInfo(Thread.currentThread().getId());
            long gc = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, b.getCollectionTime());
            }
            return new ThreadTimes(THREADS_MX.getCurrentThreadCpuTime(), info == null ? -1 : info.getBlockedTime(),
                    info == null ? -1 : info.getWaitedTime(), gc);
        }

        String since(ThreadTimes before, long wallNanos) {
            long wall = wallNanos / 1_000_000;
            long cpu = (cpuNanos - before.cpuNanos) / 1_000_000;
            long blocked = blockedMillis - before.blockedMillis;
            long waited = waitedMillis - before.waitedMillis;
            long gc = gcMillis - before.gcMillis;
            return "[wall " + wall + " ms: on CPU " + cpu + ", blocked " + blocked + ", waiting " + waited
                    + ", GC (whole JVM) " + gc + ", runnable off CPU or in native code " + (wall - cpu - blocked - waited)
                    + "]";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
