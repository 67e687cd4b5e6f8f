package dev.bulwark.benchmarks.jmh;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.Guard;
import dev.bulwark.core.Sleeper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Retry + circuit breaker from each library, configured alike: 3 attempts, serialization failures, deadlocks and connection failures retried, a
 * count-based breaker over 20 calls at 50 % counting connection failures only, no backoff (so a retry measures the machinery, not a sleep).
 * Bulwark's defaults already are that, apart from the backoff, which a no-op sleeper removes.
 */
final class Peers {

    /** Bulwark's {@code Sleeper} that does not sleep: a retry with zero backoff. */
    static final Sleeper NO_SLEEP = duration -> { };

    private Peers() {
    }

    /**
     * What a peer's user writes instead of classification: the SQLStates worth retrying (serialization
     * failure, deadlock, connection) and those that say the database is down (class 08).
     */
    static boolean retryable(Throwable e) {
        return e instanceof SQLException s && s.getSQLState() != null
                && (s.getSQLState().startsWith("08") || s.getSQLState().equals("40001") || s.getSQLState().equals("40P01"));
    }

    static boolean countsTowardBreaker(Throwable e) {
        return e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08");
    }

    static Guard guard() {
        return guard(StubPools.bulwarkConfig());
    }

    static Guard guard(BulwarkConfig config) {
        return Guard.builder(config).withSleeper(NO_SLEEP).build();
    }

    static Retry resilience4jRetry() {
        return Retry.of("bench", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ZERO)
                .retryOnException(Peers::retryable).build());
    }

    static CircuitBreaker resilience4jBreaker() {
        return CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                .slidingWindow(20, 10, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50).recordException(Peers::countsTowardBreaker).build());
    }

    static dev.failsafe.CircuitBreaker<Integer> failsafeBreaker() {
        return dev.failsafe.CircuitBreaker.<Integer>builder().withFailureRateThreshold(50, 10, Duration.ofMinutes(1))
                .handleIf(Peers::countsTowardBreaker).build();
    }

    static FailsafeExecutor<Integer> failsafe(dev.failsafe.CircuitBreaker<Integer> breaker) {
        dev.failsafe.RetryPolicy<Integer> retry = dev.failsafe.RetryPolicy.<Integer>builder()
                .handleIf(Peers::retryable).withMaxAttempts(3).build(); // Failsafe: no delay unless one is set
        return Failsafe.with(retry, breaker);
    }
}
