package dev.bulwark.core;

/**
 * A monotonic source of nanoseconds, like {@link System#nanoTime()}, that tests can replace with a fake.
 *
 * <p>Implementations must be thread-safe and never go backwards.
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading in nanoseconds; only differences between readings mean anything. */
    long nanoTime();

    /** The system's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
