package dev.bulwark.benchmarks.e2e;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Client threads that each start one small write at a fixed rate and record every call's start, end and
 * outcome ({@link System#nanoTime()}). A thread whose call overran its slot starts the next call at once
 * and skips the slots it missed, as a request-driven application would: the offered load never bursts to
 * catch up after a stall.
 *
 * <p>Not thread-safe: one harness thread starts, stops and reads it.
 */
final class ClientLoad {

    /** One write, run by a client thread; {@code client} numbers the thread (0-based). */
    @FunctionalInterface
    interface Call {
        void run(int client) throws SQLException;
    }

    /**
     * One call: when it started and ended, and its failure's SQLState, else the exception's class name (null
     * when it succeeded).
     */
    record CallRecord(long startNanos, long endNanos, boolean ok, String sqlState) {
        long nanos() {
            return endNanos - startNanos;
        }
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<List<CallRecord>> logs = new ArrayList<>();
    private final AtomicLong lastSuccess = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean running = true;

    private ClientLoad() {
    }

    /** Starts {@code clients} threads, each calling {@code call} {@code ratePerClient} times a second. */
    static ClientLoad start(int clients, double ratePerClient, Call call) {
        ClientLoad load = new ClientLoad();
        long period = Math.round(1e9 / ratePerClient);
        for (int i = 0; i < clients; i++) {
            List<CallRecord> log = new ArrayList<>();
            load.logs.add(log);
            int client = i;
            Thread t = new Thread(() -> load.loop(client, period, call, log), "recovery-client-" + i);
            t.setDaemon(true);
            load.threads.add(t);
        }
        load.threads.forEach(Thread::start);
        return load;
    }

    private void loop(int client, long period, Call call, List<CallRecord> log) {
        long next = System.nanoTime() + client * period / Math.max(1, threads.size()); // stagger the clients
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            long start = System.nanoTime();
            String state = null;
            boolean ok;
            try {
                call.run(client);
                ok = true;
            } catch (SQLException e) {
                ok = false;
                state = e.getSQLState() == null ? e.getClass().getSimpleName() : e.getSQLState();
            } catch (RuntimeException e) {
                ok = false;
                state = e.getClass().getSimpleName();
            }
            long end = System.nanoTime();
            synchronized (log) {
                log.add(new CallRecord(start, end, ok, state));
            }
            if (ok) {
                lastSuccess.accumulateAndGet(end, Math::max);
            }
            next = Math.max(next + period, end);
        }
    }

    /** When the latest successful call ended ({@link System#nanoTime()}); {@link Long#MIN_VALUE} before any. */
    long lastSuccessNanos() {
        return lastSuccess.get();
    }

    /**
     * Stops starting calls and waits up to {@code limitMillis} for the calls in flight to return; returns
     * every recorded call ordered by its end. A call still in flight at the limit is recorded as failed
     * ({@code "in-flight"}), ending at the limit, so that a stall is never hidden.
     */
    List<CallRecord> stop(long limitMillis) throws InterruptedException {
        running = false;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        List<CallRecord> all = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            List<CallRecord> log = logs.get(i);
            synchronized (log) {
                all.addAll(log);
                if (t.isAlive()) {
                    long started = log.isEmpty() ? end : log.get(log.size() - 1).endNanos();
                    all.add(new CallRecord(started, System.nanoTime(), false, "in-flight"));
                    t.interrupt();
                }
            }
        }
        all.sort(Comparator.comparingLong(CallRecord::endNanos));
        return all;
    }
}
