package dev.bulwark.core;

import java.sql.SQLTransientException;
import java.util.Objects;

/**
 * Thrown instead of calling the database when the bulkhead is full: {@code bulwark.bulkhead.maxConcurrent} calls are already running. SQLState {@value #SQL_STATE}
 * ("configuration limit exceeded"): a configured limit refused the call, which never reached the database.
 * Not retried by Bulwark; the caller may try again later.
 *
 * <p>Created without a stack trace, so that refusing a call is cheap. Thread-safe.
 */
public final class BulkheadFullException extends SQLTransientException implements Rejection {

    /** The SQLState of every refusal of this kind. */
    public static final String SQL_STATE = "53400";

    private static final long serialVersionUID = 1L;

    private final String policyName;

    /**
     * @throws NullPointerException if policyName is null
     */
    public BulkheadFullException(String policyName, int limit) {
        super("The bulkhead of '" + policyName + "' refused the call (limit " + limit + " max concurrent calls)", SQL_STATE);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
    }

    /** The name of the data source whose bulkhead refused the call. */
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
