package dev.bulwark.core.internal;

import dev.bulwark.core.FaultKind;
import dev.bulwark.core.RetryConfig;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the delay after failed attempt {@code n} is drawn uniformly from
 * {@code [0, min(maxBackoff, initialBackoff * multiplier^(n-1) * k)]}, where {@code k} is the resource
 * multiplier after a {@link FaultKind#RESOURCE} fault and 1 otherwise. No delay exceeds the cap.
 *
 * <p>Immutable and thread-safe; randomness comes from the caller.
 */
public final class Backoff {

    private final double initialNanos;
    private final double maxNanos;
    private final double multiplier;
    private final double resourceMultiplier;

    public Backoff(RetryConfig config) {
        this.initialNanos = config.initialBackoff().toNanos();
        this.maxNanos = config.maxBackoff().toNanos();
        this.multiplier = config.backoffMultiplier();
        this.resourceMultiplier = config.resourceBackoffMultiplier();
    }

    /** The upper bound of the delay after failed attempt {@code failedAttempt} (from 1), in nanoseconds. */
    public long boundNanos(int failedAttempt, FaultKind kind) {
        double bound = initialNanos * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        if (kind == FaultKind.RESOURCE) {
            bound *= resourceMultiplier;
        }
        return (long) Math.min(maxNanos, bound);
    }

    /** A delay drawn uniformly from {@code [0, boundNanos(failedAttempt, kind)]}. */
    public Duration delay(int failedAttempt, FaultKind kind, RandomGenerator random) {
        return Duration.ofNanos(random.nextLong(boundNanos(failedAttempt, kind) + 1));
    }
}
