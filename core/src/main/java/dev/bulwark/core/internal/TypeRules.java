package dev.bulwark.core.internal;

import static dev.bulwark.core.FaultKind.CONNECTION;
import static dev.bulwark.core.FaultKind.CONSTRAINT;
import static dev.bulwark.core.FaultKind.PERMISSION;
import static dev.bulwark.core.FaultKind.PROGRAMMING;
import static dev.bulwark.core.FaultKind.REJECTED;
import static dev.bulwark.core.FaultKind.TIMEOUT;
import static dev.bulwark.core.FaultKind.TRANSIENT;
import static dev.bulwark.core.internal.Rule.type;

import dev.bulwark.core.Rejection;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLDataException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Rules on exception types, each consulted in order (the first match wins, so subtypes come first).
 */
public final class TypeRules {

    /**
     * Bulwark's own refusals. Consulted before any SQLState, because Bulwark's circuit-open exception
     * is an {@code SQLTransientConnectionException} with SQLState 08xxx and must not look like a
     * connection failure.
     */
    public static final List<Rule> REJECTIONS = List.of(
            type(Rejection.class, REJECTED, "Bulwark refused the call itself (circuit open, bulkhead full, ...)"),
            type(CallNotPermittedException.class, REJECTED, "a Resilience4j circuit breaker is open"),
            type(BulkheadFullException.class, REJECTED, "a Resilience4j bulkhead is full"),
            type(RequestNotPermitted.class, REJECTED, "a Resilience4j rate limiter refused the call"));

    /**
     * Hints from the exception's type, weaker than any code: consulted only when no exception in the
     * chain has a code that a rule knows.
     */
    public static final List<Rule> HINTS = List.of(
            type(SQLTimeoutException.class, TIMEOUT, "the driver reports a timeout (setQueryTimeout)"),
            type(SQLTransactionRollbackException.class, TRANSIENT, "the driver reports a rolled-back transaction"),
            type(SQLIntegrityConstraintViolationException.class, CONSTRAINT, "the driver reports a constraint violation"),
            type(SQLInvalidAuthorizationSpecException.class, PERMISSION, "the driver reports bad credentials"),
            type(SQLSyntaxErrorException.class, PROGRAMMING, "the driver reports a syntax or access rule error"),
            type(SQLDataException.class, PROGRAMMING, "the driver reports a data error"),
            type(SQLFeatureNotSupportedException.class, PROGRAMMING, "the driver does not support the feature"),
            type(SQLTransientConnectionException.class, CONNECTION, "the driver reports a lost connection"),
            type(SQLNonTransientConnectionException.class, CONNECTION, "the driver reports a failed connection"),
            type(SQLRecoverableException.class, CONNECTION, "the driver says a new connection may succeed"),
            type(SocketTimeoutException.class, CONNECTION, "socket read timeout: the driver gives the connection up"),
            type(SocketException.class, CONNECTION, "socket failure: refused, reset or closed"),
            type(UnknownHostException.class, CONNECTION, "host name not resolved (often DNS during failover)"),
            type(EOFException.class, CONNECTION, "the server closed the stream"),
            type(TimeoutException.class, TIMEOUT, "a wait timed out"),
            type(IOException.class, CONNECTION, "I/O failure on the way to the database"));

    private TypeRules() {
    }

    /** The first rule of {@code rules} that matches {@code node}, or {@code null}. */
    public static Rule first(List<Rule> rules, ChainNode node) {
        for (Rule rule : rules) {
            if (rule.matches(node)) {
                return rule;
            }
        }
        return null;
    }
}
