package dev.bulwark.core.internal;

import dev.bulwark.core.RetryConfig;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Limits retries to a fraction of calls over a sliding window, so that an outage cannot turn into a
 * retry storm: a retry is allowed while the retries in the window stay within
 * {@code max(minRetries, ratio * calls)}. The window is kept in ten buckets on the injected ticker.
 *
 * <p>Thread-safe. Counting a call, on every call, takes no lock and shares no written cache line between
 * threads that call at once: each bucket counts in a {@link LongAdder}, whose cells spread concurrent
 * callers; a short lock only for the first call of a new bucket. Taking a retry (the failure path) locks
 * and sums the cells.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final long bucketNanos;
    private final double ratio;
    private final int minRetries;
    private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);
    private final LongAdder[] calls = new LongAdder[BUCKETS];
    private final long[] retries = new long[BUCKETS]; // guarded by this

    public RetryBudget(RetryConfig config) {
        this.bucketNanos = Math.max(1, config.budgetWindow().toNanos() / BUCKETS);
        this.ratio = config.budgetRatio();
        this.minRetries = config.budgetMinRetries();
        for (int i = 0; i < BUCKETS; i++) {
            epochs.set(i, Long.MIN_VALUE);
            calls[i] = new LongAdder();
        }
    }

    /** Counts one call (not its retries) at ticker reading {@code now}. */
    public void recordCall(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int index = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (epochs.get(index) != epoch) {
            synchronized (this) {
                bucket(epoch, index);
            }
        }
        // A call racing with the bucket's reuse a whole window later may land in the new bucket: the count is
        // then off by one call, harmless for a bound on retry storms.
        calls[index].increment();
    }

    /** Takes one retry from the budget at ticker reading {@code now}; {@code false} if it is used up. */
    public synchronized boolean tryAcquireRetry(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int current = (int) Math.floorMod(epoch, (long) BUCKETS);
        bucket(epoch, current);
        long windowCalls = 0;
        long windowRetries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epochs.get(i) > epoch - BUCKETS) {
                windowCalls += calls[i].sum();
                windowRetries += retries[i];
            }
        }
        if (windowRetries + 1 > Math.max(minRetries, ratio * windowCalls)) {
            return false;
        }
        retries[current]++;
        return true;
    }

    /** Starts bucket {@code index} afresh for {@code epoch} unless it is there already; holds the lock. */
    private void bucket(long epoch, int index) {
        if (epochs.get(index) < epoch) {
            calls[index].reset();
            retries[index] = 0;
            epochs.set(index, epoch); // published last: a call seeing the new epoch counts after the reset
        }
    }
}
