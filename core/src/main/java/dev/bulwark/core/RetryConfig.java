package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

import java.time.Duration;

import static dev.bulwark.core.BulwarkProperties.RETRY_BACKOFF_MULTIPLIER;
import static dev.bulwark.core.BulwarkProperties.RETRY_BUDGET_MIN_RETRIES;
import static dev.bulwark.core.BulwarkProperties.RETRY_BUDGET_RATIO;
import static dev.bulwark.core.BulwarkProperties.RETRY_BUDGET_WINDOW;
import static dev.bulwark.core.BulwarkProperties.RETRY_INITIAL_BACKOFF;
import static dev.bulwark.core.BulwarkProperties.RETRY_MAX_ATTEMPTS;
import static dev.bulwark.core.BulwarkProperties.RETRY_MAX_BACKOFF;
import static dev.bulwark.core.BulwarkProperties.RETRY_RESOURCE_BACKOFF_MULTIPLIER;

/**
 * Retry settings ({@code bulwark.retry.*}): attempts, exponential backoff with full jitter, and the retry
 * budget that keeps an outage from becoming a retry storm.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class RetryConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.retry.";

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double backoffMultiplier;
    private final double resourceBackoffMultiplier;
    private final double budgetRatio;
    private final Duration budgetWindow;
    private final int budgetMinRetries;

    RetryConfig(PropertyValues source) {
        super(source, PREFIX);
        this.maxAttempts = values.get(RETRY_MAX_ATTEMPTS);
        this.initialBackoff = values.get(RETRY_INITIAL_BACKOFF);
        this.maxBackoff = values.get(RETRY_MAX_BACKOFF);
        this.backoffMultiplier = values.get(RETRY_BACKOFF_MULTIPLIER);
        this.resourceBackoffMultiplier = values.get(RETRY_RESOURCE_BACKOFF_MULTIPLIER);
        this.budgetRatio = values.get(RETRY_BUDGET_RATIO);
        this.budgetWindow = values.get(RETRY_BUDGET_WINDOW);
        this.budgetMinRetries = values.get(RETRY_BUDGET_MIN_RETRIES);
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("Invalid value for " + RETRY_INITIAL_BACKOFF.key() + ": "
                    + RETRY_INITIAL_BACKOFF.format(initialBackoff) + " (must not exceed "
                    + RETRY_MAX_BACKOFF.key() + "=" + RETRY_MAX_BACKOFF.format(maxBackoff) + ")");
        }
    }

    /** The defaults of every {@code bulwark.retry.*} property. */
    public static RetryConfig defaults() {
        return new RetryConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** Attempts per call, the first included ({@code bulwark.retry.maxAttempts}). */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Upper bound of the first backoff ({@code bulwark.retry.initialBackoff}). */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** Cap of every backoff ({@code bulwark.retry.maxBackoff}). */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Growth factor of the backoff bound ({@code bulwark.retry.backoffMultiplier}). */
    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** Extra factor after RESOURCE faults ({@code bulwark.retry.resourceBackoffMultiplier}). */
    public double resourceBackoffMultiplier() {
        return resourceBackoffMultiplier;
    }

    /** Fraction of calls that retries may add ({@code bulwark.retry.budgetRatio}). */
    public double budgetRatio() {
        return budgetRatio;
    }

    /** Window of the retry budget ({@code bulwark.retry.budgetWindow}). */
    public Duration budgetWindow() {
        return budgetWindow;
    }

    /** Retries always allowed per window ({@code bulwark.retry.budgetMinRetries}). */
    public int budgetMinRetries() {
        return budgetMinRetries;
    }

    /**
     * Builds a {@link RetryConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not in 1..100 */
        public Builder withMaxAttempts(int maxAttempts) {
            values.set(RETRY_MAX_ATTEMPTS, maxAttempts);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1ms..1h */
        public Builder withInitialBackoff(Duration initialBackoff) {
            values.set(RETRY_INITIAL_BACKOFF, initialBackoff);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1ms..1h */
        public Builder withMaxBackoff(Duration maxBackoff) {
            values.set(RETRY_MAX_BACKOFF, maxBackoff);
            return this;
        }

        /** @throws IllegalArgumentException if not in [1, 10] */
        public Builder withBackoffMultiplier(double multiplier) {
            values.set(RETRY_BACKOFF_MULTIPLIER, multiplier);
            return this;
        }

        /** @throws IllegalArgumentException if not in [1, 100] */
        public Builder withResourceBackoffMultiplier(double multiplier) {
            values.set(RETRY_RESOURCE_BACKOFF_MULTIPLIER, multiplier);
            return this;
        }

        /** @throws IllegalArgumentException if not in [0, 1] */
        public Builder withBudgetRatio(double ratio) {
            values.set(RETRY_BUDGET_RATIO, ratio);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1s..1h */
        public Builder withBudgetWindow(Duration window) {
            values.set(RETRY_BUDGET_WINDOW, window);
            return this;
        }

        /** @throws IllegalArgumentException if not in 0..1000000 */
        public Builder withBudgetMinRetries(int minRetries) {
            values.set(RETRY_BUDGET_MIN_RETRIES, minRetries);
            return this;
        }

        /** @throws IllegalArgumentException if the initial backoff exceeds the maximum backoff */
        public RetryConfig build() {
            return new RetryConfig(values);
        }
    }
}
