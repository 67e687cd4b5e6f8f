package dev.bulwark.core;

import java.sql.SQLTransientException;
import java.util.Objects;

/**
 * Thrown instead of calling the database when the rate limit ({@code bulwark.rateLimit.perSecond}) is used up for this second. SQLState {@value #SQL_STATE}
 * ("configuration limit exceeded"): a configured limit refused the call, which never reached the database.
 * Not retried by Bulwark; the caller may try again later.
 *
 * <p>Created without a stack trace, so that refusing a call is cheap. Thread-safe.
 */
public final class RateLimitedException extends SQLTransientException implements Rejection {

    /** The SQLState of every refusal of this kind. */
    public static final String SQL_STATE = "53400";

    private static final long serialVersionUID = 1L;

    private final String policyName;

    /**
     * @throws NullPointerException if policyName is null
     */
    public RateLimitedException(String policyName, int limit) {
        super("The rate limiter of '" + policyName + "' refused the call (limit " + limit + " attempts per second)", SQL_STATE);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
    }

    /** The name of the data source whose rate limiter refused the call. */
    @Override
    public String policyName() {
        return policyName;
    }

    /** No stack trace: a refusal is expected and must stay cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
