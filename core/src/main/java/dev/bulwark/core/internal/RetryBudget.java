package dev.bulwark.core.internal;

import dev.bulwark.core.RetryConfig;

/**
 * Limits retries to a fraction of calls over a sliding window, so that an outage cannot turn into a
 * retry storm: a retry is allowed while the retries in the window stay within
 * {@code max(minRetries, ratio * calls)}. The window is kept in ten buckets on the injected ticker.
 *
 * <p>Thread-safe (a short lock per call).
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final long bucketNanos;
    private final double ratio;
    private final int minRetries;
    private final long[] epochs = new long[BUCKETS];
    private final long[] calls = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];

    public RetryBudget(RetryConfig config) {
        this.bucketNanos = Math.max(1, config.budgetWindow().toNanos() / BUCKETS);
        this.ratio = config.budgetRatio();
        this.minRetries = config.budgetMinRetries();
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
    }

    /** Counts one call (not its retries) at ticker reading {@code now}. */
    public synchronized void recordCall(long now) {
        calls[bucket(now)]++;
    }

    /** Takes one retry from the budget at ticker reading {@code now}; {@code false} if it is used up. */
    public synchronized boolean tryAcquireRetry(long now) {
        int current = bucket(now);
        long epoch = Math.floorDiv(now, bucketNanos);
        long windowCalls = 0;
        long windowRetries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epochs[i] > epoch - BUCKETS) {
                windowCalls += calls[i];
                windowRetries += retries[i];
            }
        }
        if (windowRetries + 1 > Math.max(minRetries, ratio * windowCalls)) {
            return false;
        }
        retries[current]++;
        return true;
    }

    private int bucket(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int index = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (epochs[index] != epoch) {
            epochs[index] = epoch;
            calls[index] = 0;
            retries[index] = 0;
        }
        return index;
    }
}
