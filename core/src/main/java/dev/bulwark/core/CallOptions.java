package dev.bulwark.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call options for {@link Guard#execute}: an operation label, a deadline overriding
 * {@code bulwark.timeout.total}, whether retry is allowed at all (not for a non-idempotent autocommit
 * write), and a maximum of attempts overriding {@code bulwark.retry.maxAttempts}.
 *
 * <p>Immutable and thread-safe; each {@code with*} returns a new instance and rejects bad values at once.
 */
public final class CallOptions {

    private static final CallOptions DEFAULTS = new CallOptions("call", null, true, 0);
    private static final Duration MAX_DEADLINE = Duration.ofHours(24);

    private final String operation;
    private final Duration deadline;
    private final boolean retryAllowed;
    private final int maxAttempts;

    private CallOptions(String operation, Duration deadline, boolean retryAllowed, int maxAttempts) {
        this.operation = operation;
        this.deadline = deadline;
        this.retryAllowed = retryAllowed;
        this.maxAttempts = maxAttempts;
    }

    /** Operation {@code call}, the configured deadline and attempts, retry allowed. */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A label for events and logs, such as {@code acquire} or {@code unit}.
     *
     * @throws IllegalArgumentException if blank or longer than 64 characters
     * @throws NullPointerException if null
     */
    public CallOptions withOperation(String operation) {
        Objects.requireNonNull(operation, "operation");
        if (operation.isBlank() || operation.length() > 64) {
            throw new IllegalArgumentException("Invalid operation label: '" + operation + "' (1 to 64 characters)");
        }
        return new CallOptions(operation, deadline, retryAllowed, maxAttempts);
    }

    /**
     * The total deadline of this call, all attempts and backoffs included.
     *
     * @throws IllegalArgumentException if not positive or longer than 24 hours
     * @throws NullPointerException if null
     */
    public CallOptions withDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("Invalid call deadline: " + deadline + " (expected 1ns..24h)");
        }
        return new CallOptions(operation, deadline, retryAllowed, maxAttempts);
    }

    /** Whether the call may be attempted more than once; {@code false} for writes that must not repeat. */
    public CallOptions withRetryAllowed(boolean retryAllowed) {
        return new CallOptions(operation, deadline, retryAllowed, maxAttempts);
    }

    /**
     * The maximum attempts of this call, the first included.
     *
     * @throws IllegalArgumentException if not in 1..100
     */
    public CallOptions withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("Invalid call maxAttempts: " + maxAttempts + " (expected 1..100)");
        }
        return new CallOptions(operation, deadline, retryAllowed, maxAttempts);
    }

    /** The operation label. */
    public String operation() {
        return operation;
    }

    /** This call's deadline, or {@code fallback} if none was set. */
    public Duration deadlineOr(Duration fallback) {
        return deadline == null ? fallback : deadline;
    }

    /** Whether retry is allowed at all. */
    public boolean retryAllowed() {
        return retryAllowed;
    }

    /** The attempts allowed: 1 without retry, else this call's maximum or {@code fallback} if none was set. */
    public int maxAttemptsOr(int fallback) {
        return !retryAllowed ? 1 : maxAttempts == 0 ? fallback : maxAttempts;
    }

    @Override
    public String toString() {
        return "CallOptions{operation=" + operation + ", deadline=" + (deadline == null ? "default" : deadline)
                + ", retryAllowed=" + retryAllowed + ", maxAttempts=" + (maxAttempts == 0 ? "default" : maxAttempts)
                + "}";
    }
}
