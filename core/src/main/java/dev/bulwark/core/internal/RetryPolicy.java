package dev.bulwark.core.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.core.Rejection;
import dev.bulwark.core.RetryConfig;
import dev.bulwark.core.RetryScope;
import dev.bulwark.core.Sleeper;
import dev.bulwark.core.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The retry decision of one data source: which faults, how many attempts, how long to back off, within
 * the call's deadline and the data source's retry budget.
 *
 * <p>Thread-safe.
 */
public final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final String name;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final EventDispatcher events;
    private final Backoff backoff;
    private final RetryBudget budget;

    /** {@code random} may be null: each thread then uses its {@code ThreadLocalRandom}. */
    public RetryPolicy(String name, RetryConfig config, Ticker ticker, Sleeper sleeper, RandomGenerator random,
                       EventDispatcher events) {
        this.name = name;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.random = random;
        this.events = events;
        this.backoff = new Backoff(config);
        this.budget = new RetryBudget(config);
    }

    /** Counts a call for the retry budget. */
    public void recordCall(long now) {
        budget.recordCall(now);
    }

    /**
     * Decides whether the call retries after {@code failure}, and if so waits the backoff. Emits the
     * events of the decision.
     */
    public boolean shouldRetry(CallState call, SQLException failure, int maxAttempts) {
        Fault fault = call.lastFault();
        // Bulwark's own refusals exist to fail fast; retrying them would defeat their purpose.
        if (failure instanceof Rejection || fault == null || fault.kind() == FaultKind.REJECTED) {
            return false;
        }
        // NONE is unsafe or pointless; AFTER_RESOLUTION needs the commit's outcome first (the jdbc layer's job).
        if (fault.retryScope() != RetryScope.UNIT) {
            return false;
        }
        int attempt = call.attempt();
        if (attempt >= maxAttempts) {
            if (maxAttempts > 1 && events.active()) {
                events.emit(new PolicyEvent.RetriesExhausted(name, call.operation(), attempt,
                        PolicyEvent.RetryLimit.ATTEMPTS, fault));
            }
            return false;
        }
        Duration delay = backoff.delay(attempt, fault.kind(), random == null ? ThreadLocalRandom.current() : random);
        long now = ticker.nanoTime();
        // Never sleep past the deadline: an attempt that starts with no time left cannot succeed.
        if (delay.toNanos() >= call.remainingNanos(now)) {
            if (events.active()) {
                events.emit(new PolicyEvent.RetriesExhausted(name, call.operation(), attempt,
                        PolicyEvent.RetryLimit.DEADLINE, fault));
            }
            return false;
        }
        // The budget keeps retries a small fraction of the load, so an outage cannot become a retry storm. It
        // meters only faults that say the database is unwell (those the breaker counts): a serialization
        // failure or deadlock is the database working as designed, and retrying it is the prescribed answer,
        // bounded by attempts, backoff and the deadline.
        if (fault.kind().countsTowardBreaker() && !budget.tryAcquireRetry(now)) {
            LOG.debug("{}: retry budget exhausted, not retrying {} after {}", name, call.operation(), fault);
            if (events.active()) {
                events.emit(new PolicyEvent.RetryBudgetExhausted(name, call.operation(), attempt, fault));
            }
            return false;
        }
        LOG.debug("{}: {} attempt {} failed with {}; retrying in {} ms", name, call.operation(), attempt, fault,
                delay.toMillis());
        if (events.active()) {
            events.emit(new PolicyEvent.RetryScheduled(name, call.operation(), attempt, delay, fault));
        }
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            // The application asked this thread to stop: keep the flag and end the call with its failure.
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
