package dev.bulwark.core;

/** The observable state of a data source's circuit breaker. */
public enum BreakerState {
    /** Calls pass; counted faults are measured in the sliding window. */
    CLOSED,
    /** Calls are refused at once with a {@link CircuitOpenException} until the wait in open state ends. */
    OPEN,
    /** A few probe calls pass; their outcome closes or re-opens the breaker. */
    HALF_OPEN,
    /** The breaker is turned off ({@code bulwark.breaker.enabled=false}). */
    DISABLED
}
