package dev.bulwark.core;

import java.time.Duration;

/**
 * Waits between retry attempts; tests replace it with a fake that advances a fake {@link Ticker}.
 *
 * <p>Implementations must be thread-safe. Bulwark never interrupts threads itself; an interrupt from
 * the application ends the wait and the call.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Blocks the calling thread for {@code duration}.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps with {@link Thread#sleep(long, int)}. */
    static Sleeper system() {
        return duration -> {
            long nanos = duration.toNanos();
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        };
    }
}
