package dev.bulwark.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The events of a {@link Guard}'s policies: retries, the retry budget, breaker transitions and refusals.
 *
 * <p>Immutable records; thread-safe.
 */
public sealed interface PolicyEvent extends BulwarkEvent {

    /** The operation label of the call ({@link CallOptions#operation()}), or {@code breaker} for transitions. */
    String operation();

    /** Why retrying stopped while the fault itself was retryable. */
    enum RetryLimit {
        /** The maximum number of attempts was reached. */
        ATTEMPTS,
        /** The next backoff would not fit in the remaining deadline. */
        DEADLINE
    }

    /** Which policy refused a call. */
    enum RejectedBy {
        /** The circuit breaker was open (or half-open with every probe slot taken). */
        CIRCUIT_BREAKER,
        /** The bulkhead was full. */
        BULKHEAD,
        /** The rate limit was used up. */
        RATE_LIMITER
    }

    /**
     * Attempt {@code attempt} failed with a retryable fault; the next attempt runs after {@code delay}.
     *
     * @param source    the data source
     * @param operation the call's label
     * @param attempt   the number of the attempt that failed
     * @param delay     the backoff before the next attempt
     * @param fault     the failed attempt's fault
     */
    record RetryScheduled(String source, String operation, int attempt, Duration delay, Fault fault)
            implements PolicyEvent {
        public RetryScheduled {
            Objects.requireNonNull(fault, "fault");
        }
    }

    /**
     * The call failed with a retryable fault but no attempt is left within {@code limit}.
     *
     * @param source    the data source
     * @param operation the call's label
     * @param attempts  the attempts made
     * @param limit     which limit stopped retrying
     * @param fault     the last attempt's fault
     */
    record RetriesExhausted(String source, String operation, int attempts, RetryLimit limit, Fault fault)
            implements PolicyEvent {
    }

    /**
     * A retry was refused because retries already used the data source's retry budget.
     *
     * @param source    the data source
     * @param operation the call's label
     * @param attempts  the attempts made
     * @param fault     the last attempt's fault
     */
    record RetryBudgetExhausted(String source, String operation, int attempts, Fault fault) implements PolicyEvent {
    }

    /**
     * The circuit breaker changed state.
     *
     * @param source    the data source (which is also the breaker's name)
     * @param operation always {@code breaker}
     * @param from      the previous state
     * @param to        the new state
     */
    record BreakerTransition(String source, String operation, BreakerState from, BreakerState to)
            implements PolicyEvent {
    }

    /**
     * A policy refused an attempt before it reached the database.
     *
     * @param source     the data source
     * @param operation  the call's label
     * @param rejectedBy which policy refused
     * @param rejection  the exception thrown to the caller, a {@link Rejection}
     */
    record CallRejected(String source, String operation, RejectedBy rejectedBy, java.sql.SQLException rejection)
            implements PolicyEvent {
    }

    /**
     * The call succeeded after at least one failed attempt.
     *
     * @param source    the data source
     * @param operation the call's label
     * @param attempts  the attempts made, the successful one included
     * @param elapsed   the time from the call's start to its success
     */
    record SucceededAfterRetries(String source, String operation, int attempts, Duration elapsed)
            implements PolicyEvent {
    }
}
