package dev.bulwark.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;

/**
 * One timed run: {@code threads} clients run the workload back to back for a fixed time; the result has
 * the operations, the wall time, the JVM's CPU time and the merged latency histogram (nanoseconds).
 * A failed operation fails the run: a benchmark that counts errors as throughput measures nothing.
 */
final class Measurement {

    private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private Measurement() {
    }

    /** What one run measured. */
    record Result(long operations, long wallNanos, long cpuNanos, Histogram latency) {
        double throughput() {
            return operations * 1e9 / wallNanos;
        }

        double cpuMicrosPerOperation() {
            return operations == 0 ? 0 : cpuNanos / 1e3 / operations;
        }
    }

    static Result run(DataSource dataSource, Workload workload, int threads, long millis, int accounts, long seed)
            throws SQLException, InterruptedException {
        List<Histogram> histograms = new ArrayList<>();
        long[] counts = new long[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        long[] window = new long[2];
        for (int i = 0; i < threads; i++) {
            Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
            histograms.add(histogram);
            int index = i;
            SplittableRandom random = new SplittableRandom(seed * 31 + i);
            Thread client = new Thread(() -> {
                try {
                    start.await();
                    long end = window[1];
                    long ops = 0;
                    long now = System.nanoTime();
                    while (now < end && failure.get() == null) {
                        workload.run(dataSource, random, accounts);
                        long done = System.nanoTime();
                        histogram.recordValue(Math.min(done - now, MAX_LATENCY_NANOS));
                        now = done;
                        ops++;
                    }
                    counts[index] = ops;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                } catch (SQLException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "e2e-client-" + i);
            clients.add(client);
            client.start();
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        window[0] = System.nanoTime();
        window[1] = window[0] + millis * 1_000_000L;
        start.countDown(); // publishes window[] to the clients (happens-before through the latch)
        for (Thread client : clients) {
            client.join();
        }
        long wall = System.nanoTime() - window[0];
        long cpu = os.getProcessCpuTime() - cpuBefore;
        Throwable failed = failure.get();
        if (failed != null) {
            throw new SQLException("a client failed during the " + workload.label() + " run: " + failed, failed);
        }
        Histogram merged = new Histogram(MAX_LATENCY_NANOS, 3);
        histograms.forEach(merged::add);
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return new Result(total, wall, cpu, merged);
    }
}
