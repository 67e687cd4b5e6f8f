package dev.bulwark.cli.internal.demo;

import dev.bulwark.core.FaultKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Several threads doing random transfers between the bank's accounts for a fixed time, recording what
 * the application was told about each one.
 *
 * <p>Thread-safe counters; {@link #run} is called once per instance.
 */
final class Workload {

    /** A client that was refused or failed waits this long before its next transfer, as a user would. */
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(20);

    private final Bank bank;
    private final int threads;
    private final Duration duration;
    private final long seed;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private final Map<FaultKind, LongAdder> failureKinds = new ConcurrentHashMap<>();
    private volatile long startNanos;

    Workload(Bank bank, int threads, Duration duration, long seed) {
        this.bank = bank;
        this.threads = threads;
        this.duration = duration;
        this.seed = seed;
        for (Outcome o : Outcome.values()) {
            counts.put(o, new LongAdder());
        }
    }

    /** Runs the workload to its end on {@code threads} threads. */
    void run(TransferClient client) throws InterruptedException {
        startNanos = System.nanoTime();
        long end = startNanos + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int worker = i;
            Thread t = new Thread(() -> work(client, worker, end), "transfer-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    private void work(TransferClient client, int worker, long end) {
        Random random = new Random(seed * 31 + worker);
        int n = bank.accounts();
        for (long i = 1; System.nanoTime() < end; i++) {
            int from = random.nextInt(n);
            int to = (from + 1 + random.nextInt(n - 1)) % n;
            Bank.Transfer t = new Bank.Transfer("w" + worker + "-" + i, from, to, 1 + random.nextInt(100));
            TransferClient.Result r = client.transfer(t);
            outcomes.put(t.id(), r.outcome());
            counts.get(r.outcome()).increment();
            if (r.outcome() != Outcome.COMMITTED) {
                failureKinds.computeIfAbsent(r.kind() == null ? FaultKind.UNKNOWN : r.kind(), k -> new LongAdder())
                        .increment();
                LockSupport.parkNanos(PAUSE_AFTER_FAILURE.toNanos());
            }
        }
    }

    long count(Outcome o) {
        return counts.get(o).sum();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Duration elapsed() {
        return startNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** What the application was told, by transfer id. */
    Map<String, Outcome> outcomes() {
        return outcomes;
    }

    /** Failed, refused and unknown transfers by fault kind. */
    Map<FaultKind, Long> failureKinds() {
        Map<FaultKind, Long> copy = new EnumMap<>(FaultKind.class);
        failureKinds.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
