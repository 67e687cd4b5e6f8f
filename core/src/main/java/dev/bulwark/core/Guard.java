package dev.bulwark.core;

import dev.bulwark.core.internal.BreakerPolicy;
import dev.bulwark.core.internal.BulkheadPolicy;
import dev.bulwark.core.internal.CallState;
import dev.bulwark.core.internal.EventDispatcher;
import dev.bulwark.core.internal.RateLimitPolicy;
import dev.bulwark.core.internal.RetryPolicy;
import dev.bulwark.core.internal.TotalClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Runs database calls under one data source's policies, composed from the outside in:
 *
 * <pre>
 * Deadline(total budget)
 *   ⊃ Retry(backoff with full jitter, UNIT-scoped faults only, within the deadline and the retry budget)
 *     ⊃ CircuitBreaker(counts only faults whose kind countsTowardBreaker())
 *       ⊃ Bulkhead(max concurrent, refuses at once)
 *         ⊃ RateLimiter(per second, refuses at once)
 *           ⊃ attempt
 * </pre>
 *
 * <p>Each failed attempt is classified once by the {@link FaultClassifier}; the same fault decides retry
 * and breaker counting. Refusals by Bulwark ({@link Rejection}s) are never retried. Faults with
 * {@link RetryScope#AFTER_RESOLUTION} are not retried here: the caller must first resolve the commit's
 * outcome. A {@link RuntimeException} or {@link Error} thrown by an attempt is never retried and
 * propagates unchanged (earlier attempts' exceptions added as suppressed): it is a bug or a decision of the
 * caller's code, not a database fault. The deadline is enforced without interrupting or abandoning
 * threads: retrying stops when the next backoff would not fit, and each attempt is told the time left.
 *
 * <p>Typical use by the jdbc layer, for connection acquisition and for units of work:
 * <pre>{@code
 * Connection c = guard.execute(CallOptions.defaults().withOperation("acquire")
 *         .withDeadline(config.timeouts().acquire()), attempt -> pool.getConnection());
 * T result = guard.execute(CallOptions.defaults().withOperation("unit"), attempt -> {
 *     ... statement.setQueryTimeout(attempt.remainingSecondsCeil()) ...
 * });
 * }</pre>
 * Calls may nest, but a nested call passes every policy again (it takes a second bulkhead slot and is
 * counted twice by the breaker), so acquisition inside a unit's attempt should not be guarded separately.
 *
 * <p>One instance per data source; thread-safe.
 */
public final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

    private final BulwarkConfig config;
    private final String name;
    private final FaultClassifier classifier;
    private final Ticker ticker;
    private final EventDispatcher events;
    private final RetryPolicy retry;
    private final BreakerPolicy breaker;
    private final BulkheadPolicy bulkhead;
    private final RateLimitPolicy rateLimiter;
    private final Duration defaultDeadline;
    private final int defaultMaxAttempts;

    private Guard(Builder builder) {
        this.config = builder.config;
        this.name = config.name();
        this.classifier = new TotalClassifier(name, builder.classifier);
        this.ticker = builder.ticker;
        this.events = new EventDispatcher(name, builder.listeners);
        this.retry = new RetryPolicy(name, config.retry(), ticker, builder.sleeper, builder.random, events);
        this.breaker = config.breaker().enabled() ? new BreakerPolicy(name, config.breaker(), ticker, events) : null;
        int maxConcurrent = config.bulkhead().maxConcurrent();
        this.bulkhead = maxConcurrent > 0 ? new BulkheadPolicy(name, maxConcurrent) : null;
        int perSecond = config.rateLimit().perSecond();
        this.rateLimiter = perSecond > 0 ? new RateLimitPolicy(name, perSecond, Duration.ofSeconds(1)) : null;
        this.defaultDeadline = config.timeouts().total();
        this.defaultMaxAttempts = config.retry().maxAttempts();
    }

    /**
     * A builder for a guard with {@code config}.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static Builder builder(BulwarkConfig config) {
        return new Builder(config);
    }

    /**
     * Runs {@code attempt} with {@link CallOptions#defaults()}.
     *
     * @throws SQLException the last attempt's exception (earlier ones suppressed), or a {@link Rejection}
     */
    public <T> T execute(Attempt<T> attempt) throws SQLException {
        return execute(CallOptions.defaults(), attempt);
    }

    /**
     * Runs {@code attempt} under the policies, as often as the options, the fault, the deadline and the
     * retry budget allow.
     *
     * @throws SQLException the last attempt's exception, keeping its SQLState, with earlier attempts'
     *                      exceptions suppressed; or a {@link Rejection} ({@link CircuitOpenException},
     *                      {@link BulkheadFullException}, {@link RateLimitedException})
     * @throws NullPointerException if an argument is null
     */
    public <T> T execute(CallOptions options, Attempt<T> attempt) throws SQLException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(attempt, "attempt");
        long start = ticker.nanoTime();
        CallState call = new CallState(options.operation(), start,
                start + options.deadlineOr(defaultDeadline).toNanos(), ticker);
        int maxAttempts = options.maxAttemptsOr(defaultMaxAttempts);
        retry.recordCall(start);
        while (true) {
            call.nextAttempt();
            SQLException failure;
            try {
                T result = attemptOnce(call, attempt);
                if (call.attempt() > 1 && events.active()) {
                    events.emit(new PolicyEvent.SucceededAfterRetries(name, call.operation(), call.attempt(),
                            Duration.ofNanos(ticker.nanoTime() - start)));
                }
                return result;
            } catch (SQLException e) {
                failure = e;
            } catch (RuntimeException e) {
                throw call.withEarlierFailures(e);
            } catch (Error e) {
                throw call.withEarlierFailures(e);
            }
            if (!retry.shouldRetry(call, failure, maxAttempts)) {
                throw call.withEarlierFailures(failure);
            }
            call.failed(failure);
        }
    }

    private <T> T attemptOnce(CallState call, Attempt<T> attempt) throws SQLException {
        if (breaker == null) {
            return limited(call, attempt);
        }
        int permit = breaker.acquire();
        if (permit == BreakerPolicy.REFUSED) {
            throw rejected(call, PolicyEvent.RejectedBy.CIRCUIT_BREAKER, breaker.rejection());
        }
        T result;
        try {
            result = limited(call, attempt);
        } catch (SQLException e) {
            if (e instanceof Rejection) {
                breaker.release(permit);
            } else {
                breaker.onFault(call.lastFault(), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            breaker.release(permit);
            throw e;
        }
        breaker.onSuccess();
        return result;
    }

    private <T> T limited(CallState call, Attempt<T> attempt) throws SQLException {
        if (bulkhead == null) {
            return rateLimited(call, attempt);
        }
        if (!bulkhead.tryAcquire()) {
            throw rejected(call, PolicyEvent.RejectedBy.BULKHEAD, bulkhead.rejection());
        }
        try {
            return rateLimited(call, attempt);
        } finally {
            bulkhead.release();
        }
    }

    private <T> T rateLimited(CallState call, Attempt<T> attempt) throws SQLException {
        if (rateLimiter != null && !rateLimiter.tryAcquire()) {
            throw rejected(call, PolicyEvent.RejectedBy.RATE_LIMITER, rateLimiter.rejection());
        }
        try {
            return attempt.run(call);
        } catch (SQLException e) {
            if (!(e instanceof Rejection)) {
                call.fault(classifier.classify(e));
            }
            throw e;
        }
    }

    private <E extends SQLException & Rejection> E rejected(CallState call, PolicyEvent.RejectedBy policy,
                                                           E rejection) {
        if (events.active()) {
            events.emit(new PolicyEvent.CallRejected(name, call.operation(), policy, rejection));
        }
        return rejection;
    }

    /** The data source's name ({@code bulwark.name}). */
    public String name() {
        return name;
    }

    /** The configuration this guard was built with. */
    public BulwarkConfig config() {
        return config;
    }

    /** The classifier deciding retry and breaker counting (never throwing: a failure of it reads as UNKNOWN). */
    public FaultClassifier classifier() {
        return classifier;
    }

    /** The circuit breaker's state, {@link BreakerState#DISABLED} when it is turned off. */
    public BreakerState breakerState() {
        return breaker == null ? BreakerState.DISABLED : breaker.state();
    }

    @Override
    public String toString() {
        return "Guard{" + name + ", breaker=" + breakerState() + "}";
    }

    /**
     * Builds a {@link Guard}: the classifier, time source, sleeper, jitter randomness and event listeners.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final BulwarkConfig config;
        private FaultClassifier classifier = Faults::classify;
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private RandomGenerator random;
        private final List<BulwarkListener> listeners = new ArrayList<>();

        private Builder(BulwarkConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The classifier deciding retry and breaker counting; {@link Faults#classify} by default.
         *
         * @throws NullPointerException if null
         */
        public Builder withClassifier(FaultClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * The time source for deadlines, the retry budget and the breaker; {@link Ticker#system()} by default.
         *
         * @throws NullPointerException if null
         */
        public Builder withTicker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * How backoffs are waited; {@link Sleeper#system()} by default.
         *
         * @throws NullPointerException if null
         */
        public Builder withSleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * The randomness of the jitter (a seeded {@link java.util.Random} makes delays repeatable); it must be
         * thread-safe if the guard is shared. By default each thread uses its {@code ThreadLocalRandom}.
         *
         * @throws NullPointerException if null
         */
        public Builder withRandom(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Adds a listener for this guard's {@link PolicyEvent}s.
         *
         * @throws NullPointerException if null
         */
        public Builder withListener(BulwarkListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** A new guard with its own breaker, bulkhead, rate limiter and retry budget. */
        public Guard build() {
            return new Guard(this);
        }
    }
}
