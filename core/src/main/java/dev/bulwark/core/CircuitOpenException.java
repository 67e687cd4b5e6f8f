package dev.bulwark.core;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;

/**
 * Thrown instead of calling the database while its circuit breaker is open (or half-open with every probe
 * slot taken). SQLState {@value #SQL_STATE} ("SQL-client unable to establish SQL-connection"): the call
 * never reached the database, so nothing took effect.
 *
 * <p>Created without a stack trace, so that refusing a call is cheap while the database is down.
 * Immutable apart from suppressed exceptions; thread-safe.
 */
public final class CircuitOpenException extends SQLTransientConnectionException implements Rejection {

    /** The SQLState of every circuit-open refusal. */
    public static final String SQL_STATE = "08001";

    private static final long serialVersionUID = 1L;

    private final String breakerName;
    private final BreakerState state;
    private final Duration untilNextProbe;

    /**
     * @throws NullPointerException if an argument is null
     */
    public CircuitOpenException(String breakerName, BreakerState state, Duration untilNextProbe) {
        super(null, SQL_STATE); // the message is built when read: most refusals are counted, not printed
        this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
        this.state = Objects.requireNonNull(state, "state");
        this.untilNextProbe = Objects.requireNonNull(untilNextProbe, "untilNextProbe");
    }

    /** The breaker's name, which is the data source's name. */
    @Override
    public String policyName() {
        return breakerName;
    }

    /** The breaker's state when the call was refused. */
    public BreakerState state() {
        return state;
    }

    /** How long until the breaker lets a probe through; zero when half-open. */
    public Duration untilNextProbe() {
        return untilNextProbe;
    }

    /** Names the breaker, its state and when it next lets a probe through. */
    @Override
    public String getMessage() {
        return "Circuit breaker '" + breakerName + "' is " + state + ": call refused without reaching the database; "
                + (state == BreakerState.HALF_OPEN ? "a probe call is in progress"
                        : "next probe in " + untilNextProbe.toMillis() + " ms");
    }

    /** No stack trace: a refusal is expected and must stay cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
