package dev.bulwark.jdbc.internal.resolve;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time a resolution may take, with a capped, growing pause between polls. Not thread-safe: one
 * per {@link CommitResolver#resolve} call.
 */
final class Budget {

    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private final LongSupplier nanoTime;
    private final long deadline;
    private final long maxPause;
    private long nextPause = FIRST_PAUSE_NANOS;

    private Budget(LongSupplier nanoTime, Duration budget, Duration maxPause) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("resolution budget must not be negative, got " + budget);
        }
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + budget.toNanos();
        this.maxPause = maxPause.toNanos();
    }

    static Budget start(Duration budget, Duration maxPause) {
        return new Budget(System::nanoTime, budget, maxPause);
    }

    static Budget start(Duration budget, Duration maxPause, LongSupplier nanoTime) {
        return new Budget(nanoTime, budget, maxPause);
    }

    boolean spent() {
        return remainingNanos() <= 0;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    /** A statement timeout in whole seconds (JDBC's unit) that stays within the budget, at least 1. */
    int queryTimeoutSeconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remainingNanos() + 999_999_999L) / 1_000_000_000L));
    }

    /**
     * Waits before the next poll, never past the deadline.
     *
     * @return false if the budget is spent or the thread was interrupted (the flag is restored)
     */
    boolean pause() {
        long wait = Math.min(nextPause, remainingNanos());
        nextPause = Math.min(maxPause, nextPause * 2);
        if (wait <= 0) {
            return false;
        }
        try {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            return !spent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private long remainingNanos() {
        return deadline - nanoTime.getAsLong();
    }
}
