package dev.bulwark.core;

/**
 * Implemented by the exceptions with which Bulwark itself refuses a call before it reaches the
 * database (circuit open, bulkhead full, rate limited). Classified as
 * {@link FaultKind#REJECTED}: never retried by Bulwark.
 */
public interface Rejection {

    /** The name of the policy instance that refused the call, such as the circuit breaker's name. */
    String policyName();
}
