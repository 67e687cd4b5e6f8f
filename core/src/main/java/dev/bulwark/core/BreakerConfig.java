package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

import java.time.Duration;

import static dev.bulwark.core.BulwarkProperties.BREAKER_ENABLED;
import static dev.bulwark.core.BulwarkProperties.BREAKER_FAILURE_RATE_THRESHOLD;
import static dev.bulwark.core.BulwarkProperties.BREAKER_MINIMUM_CALLS;
import static dev.bulwark.core.BulwarkProperties.BREAKER_PERMITTED_CALLS_IN_HALF_OPEN;
import static dev.bulwark.core.BulwarkProperties.BREAKER_SLIDING_WINDOW_SIZE;
import static dev.bulwark.core.BulwarkProperties.BREAKER_WAIT_IN_OPEN_STATE;

/**
 * Circuit-breaker settings ({@code bulwark.breaker.*}): a count-based window of the most recent calls,
 * in which only faults whose {@link FaultKind#countsTowardBreaker()} count as failures.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class BreakerConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.breaker.";

    private final boolean enabled;
    private final double failureRateThreshold;
    private final int minimumCalls;
    private final int slidingWindowSize;
    private final Duration waitInOpenState;
    private final int permittedCallsInHalfOpen;

    BreakerConfig(PropertyValues source) {
        super(source, PREFIX);
        this.enabled = values.get(BREAKER_ENABLED);
        this.failureRateThreshold = values.get(BREAKER_FAILURE_RATE_THRESHOLD);
        this.minimumCalls = values.get(BREAKER_MINIMUM_CALLS);
        this.slidingWindowSize = values.get(BREAKER_SLIDING_WINDOW_SIZE);
        this.waitInOpenState = values.get(BREAKER_WAIT_IN_OPEN_STATE);
        this.permittedCallsInHalfOpen = values.get(BREAKER_PERMITTED_CALLS_IN_HALF_OPEN);
        if (minimumCalls > slidingWindowSize) {
            throw new IllegalArgumentException("Invalid value for " + BREAKER_MINIMUM_CALLS.key() + ": "
                    + minimumCalls + " (must not exceed " + BREAKER_SLIDING_WINDOW_SIZE.key() + "="
                    + slidingWindowSize + ")");
        }
    }

    /** The defaults of every {@code bulwark.breaker.*} property. */
    public static BreakerConfig defaults() {
        return new BreakerConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** Whether the breaker guards calls ({@code bulwark.breaker.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** Percentage at or above which the breaker opens ({@code bulwark.breaker.failureRateThreshold}). */
    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Calls needed before the rate is judged ({@code bulwark.breaker.minimumCalls}). */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** Size of the count-based window ({@code bulwark.breaker.slidingWindowSize}). */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /** How long the open breaker refuses calls ({@code bulwark.breaker.waitInOpenState}). */
    public Duration waitInOpenState() {
        return waitInOpenState;
    }

    /** Probe calls while half-open ({@code bulwark.breaker.permittedCallsInHalfOpen}). */
    public int permittedCallsInHalfOpen() {
        return permittedCallsInHalfOpen;
    }

    /**
     * Builds a {@link BreakerConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** Turns the breaker on or off. */
        public Builder withEnabled(boolean enabled) {
            values.set(BREAKER_ENABLED, enabled);
            return this;
        }

        /** @throws IllegalArgumentException if not in (0, 100] */
        public Builder withFailureRateThreshold(double percent) {
            values.set(BREAKER_FAILURE_RATE_THRESHOLD, percent);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1..10000 */
        public Builder withMinimumCalls(int calls) {
            values.set(BREAKER_MINIMUM_CALLS, calls);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1..10000 */
        public Builder withSlidingWindowSize(int calls) {
            values.set(BREAKER_SLIDING_WINDOW_SIZE, calls);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1ms..1h */
        public Builder withWaitInOpenState(Duration wait) {
            values.set(BREAKER_WAIT_IN_OPEN_STATE, wait);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1..1000 */
        public Builder withPermittedCallsInHalfOpen(int calls) {
            values.set(BREAKER_PERMITTED_CALLS_IN_HALF_OPEN, calls);
            return this;
        }

        /** @throws IllegalArgumentException if the minimum calls exceed the window size */
        public BreakerConfig build() {
            return new BreakerConfig(values);
        }
    }
}
