package dev.bulwark.jdbc.internal.pool;

import dev.bulwark.core.Rejection;
import java.sql.SQLTransientConnectionException;

/**
 * The pool had no free connection within the caller's wait, and no connection attempt had failed: every
 * connection is in use, and the database itself may be perfectly healthy. A {@link Rejection}, so it is
 * never retried and never counted by the circuit breaker (a busy pool is not a sick database); a pool
 * timeout caused by a failed connection attempt stays a connection fault. SQLState {@value #SQL_STATE}
 * ("configuration limit exceeded"): the pool's size refused the call, which never reached the database.
 * An {@code SQLTransientConnectionException}, as the pool's own timeout is, so code catching that keeps
 * working. Thread-safe.
 */
public final class PoolExhaustedException extends SQLTransientConnectionException implements Rejection {

    /** The SQLState of every exhausted-pool failure. */
    public static final String SQL_STATE = "53400";

    private static final long serialVersionUID = 1L;

    private final String poolName;

    PoolExhaustedException(String message, String poolName, Throwable poolTimeout) {
        super(message, SQL_STATE, poolTimeout);
        this.poolName = poolName;
    }

    /** The name of the pool that had no free connection. */
    @Override
    public String policyName() {
        return poolName;
    }
}
