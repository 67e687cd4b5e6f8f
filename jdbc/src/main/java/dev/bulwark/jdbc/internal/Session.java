package dev.bulwark.jdbc.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.internal.SqlLiterals;
import dev.bulwark.jdbc.StatementObserver;
import dev.bulwark.jdbc.internal.wrapper.ConnectionWrapper;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks;
import dev.bulwark.jdbc.internal.wrapper.StatementWrapper;
import dev.bulwark.jdbc.internal.wrapper.WrapperContext;
import dev.bulwark.jdbc.internal.wrapper.Wrappers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One borrowed physical connection and what Bulwark knows about it: the hooks of its wrapper. Every
 * driver exception is classified once, put on the JDK hierarchy, and a connection whose fault calls for
 * it is marked so that closing it evicts it from the pool instead of returning it.
 *
 * <p>A session lent to a unit of work refuses the transaction boundaries (the unit owns them) and turns
 * {@code close()} into a no-op, so DAO code using try-with-resources inside a unit works unchanged.
 *
 * <p>Used by one thread at a time, as JDBC connections are; the eviction mark is volatile because
 * {@code abort} and health checks may read it from elsewhere.
 */
final class Session implements JdbcHooks {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final Logger SQL_LOG = LoggerFactory.getLogger("dev.bulwark.jdbc.sql");

    /** Socket timeouts fire a little early or late; within this of the deadline, the deadline caused it. */
    private static final long DEADLINE_SLACK_NANOS = 50_000_000L;

    private final ResilientDataSource owner;
    private final Connection physical;
    private final ConnectionWrapper wrapper;
    private volatile boolean lent;
    private volatile Fault evictingFault;
    private volatile boolean evicted;
    private long deadlineNanos; // 0: none; the unit's end, pushed into query timeouts
    private volatile SQLException handled; // the last exception the hooks acted on and returned
    private byte serverTimeout; // 0: not asked yet; 1: the session enforces the default statement timeout; -1: no

    private final boolean unknownWritesAre08007;
    private final StatementObserver[] observers; // null when none (the common case)

    private Session(ResilientDataSource owner, Connection physical, boolean lent, boolean unknownWritesAre08007) {
        this.owner = owner;
        this.physical = physical;
        this.lent = lent;
        this.unknownWritesAre08007 = unknownWritesAre08007;
        this.observers = owner.statementObservers();
        this.wrapper = Wrappers.wrap(physical, this);
    }

    /** A session for a connection handed to the application directly. */
    static Session standalone(ResilientDataSource owner, Connection physical) {
        return new Session(owner, physical, false, true);
    }

    /**
     * A session for a connection lent to the work of a unit; {@code unknownWritesAre08007} for autocommit
     * work that is not idempotent (a transaction's writes are settled by its COMMIT instead).
     */
    static Session lent(ResilientDataSource owner, Connection physical, long deadlineNanos,
                        boolean unknownWritesAre08007) {
        Session s = new Session(owner, physical, true, unknownWritesAre08007);
        s.deadlineNanos = deadlineNanos;
        return s;
    }

    ConnectionWrapper wrapper() {
        return wrapper;
    }

    Connection physical() {
        return physical;
    }

    /** The fault that condemned this connection, or null while it is healthy. */
    Fault evictingFault() {
        return evictingFault;
    }

    /** Marks the connection for eviction because of {@code fault}; it is evicted when released. */
    void condemn(Fault fault) {
        if (evictingFault == null) {
            evictingFault = fault;
        }
    }

    /** Evicts the connection now (its pool slot is needed at once, e.g. to resolve a lost commit). */
    void evictNow(Fault fault) {
        condemn(fault);
        if (!evicted) {
            evicted = true;
            owner.evict(physical, evictingFault);
        }
    }

    @Override
    public SQLException onException(SQLException exception, WrapperContext context) {
        if (exception == handled) {
            return exception; // the unit sees again what a statement already reported: act on a fault once
        }
        Fault fault = actOn(exception);
        SQLException translated;
        if (deadlinePassed(fault)) {
            owner.onSilentServer(fault); // idle connections to a server that stopped answering would hang too
            translated = SqlExceptions.deadlineExceeded(owner.name(), exception);
        } else {
            translated = SqlExceptions.translate(exception, fault);
        }
        handled = translated;
        return translated;
    }

    /**
     * An exception the unit's work threw itself. A driver exception that passed through the wrappers was
     * handled already and comes back as it was returned; the application's own exception (not driver text)
     * is classified and acted on like any other, but reaches the caller unchanged, message included.
     */
    SQLException fromWork(SQLException exception) {
        if (exception == handled) {
            return exception;
        }
        actOn(exception);
        handled = exception;
        return exception;
    }

    /** Classifies a failure once and does what its kind calls for: evict this connection, or the whole pool. */
    private Fault actOn(SQLException exception) {
        Fault fault = owner.classifier().classify(exception);
        if (fault.kind().evictsConnection()) {
            condemn(fault);
        }
        if (fault.kind() == FaultKind.READ_ONLY) {
            owner.onReadOnly(fault); // a failover demoted the server: every pooled connection is stale
        }
        return fault;
    }

    /**
     * Whether a connection failure is the unit's own deadline at work: the network timeout is set to what is
     * left of it, so a socket read that times out at the deadline is a timeout, not a lost server.
     */
    private boolean deadlinePassed(Fault fault) {
        return deadlineNanos != 0 && fault.kind() == FaultKind.CONNECTION
                && System.nanoTime() - deadlineNanos >= -DEADLINE_SLACK_NANOS;
    }

    @Override
    public <T> T aroundExecute(StatementWrapper<?> statement, Execution kind, String sql, SqlCall<T> execution)
            throws SQLException {
        if (observers != null) {
            for (StatementObserver observer : observers) {
                observer.beforeExecute(physical, sql); // throwing refuses the statement: it is not run
            }
        }
        if (sql != null && serverEnforcesDefault() && mayChangeStatementTimeout(sql)) {
            serverTimeout = -1; // from now on this session bounds its statements itself
            owner.forgetServerStatementTimeout(physical);
        }
        int timeout = queryTimeoutSeconds();
        if (timeout > 0) {
            statement.limitQueryTimeout(timeout); // never longer than the caller's own setQueryTimeout
        }
        if (owner.maxRows() > 0) {
            statement.setMaxRows(owner.maxRows()); // result-size guard, enforced by the driver
        }
        if (owner.fetchSize() > 0) {
            statement.setFetchSize(owner.fetchSize()); // stream large results instead of buffering them
        }
        long start = System.nanoTime();
        try {
            return execution.call();
        } catch (SQLException e) {
            throw unknownWrite(kind, e);
        } finally {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= owner.slowStatementNanos()) {
                owner.onSlowStatement(kind, sql, elapsed);
            } else if (SQL_LOG.isDebugEnabled()) {
                SQL_LOG.debug("{}: {} in {} µs: {}", owner.name(), kind, elapsed / 1000, SqlLiterals.redact(sql));
            }
        }
    }

    /**
     * An autocommit write whose connection was lost mid-statement may or may not have been applied: it
     * surfaces as 08007 (resolution unknown), so nobody mistakes it for a failure that is safe to repeat.
     */
    private SQLException unknownWrite(Execution kind, SQLException e) {
        if (!unknownWritesAre08007 || kind == Execution.QUERY || evictingFault == null
                || evictingFault.kind() != FaultKind.CONNECTION) {
            return e;
        }
        try {
            if (!physical.getAutoCommit()) {
                return e; // inside the caller's own transaction nothing is applied before its COMMIT
            }
        } catch (SQLException unreadable) {
            e.addSuppressed(unreadable);
        }
        return SqlExceptions.writeOutcomeUnknown(owner.name(), e);
    }

    /**
     * Seconds for {@code setQueryTimeout}: the default statement timeout, or, when the unit's deadline comes
     * first, one second past it; 0 = none. The deadline itself is enforced by the network timeout the unit
     * set: a driver's cancel is sent on a new connection, and on a hung server pgjdbc waits for it (up to its
     * {@code cancelSignalTimeout}, 10 s) before the statement returns, so the cancel must not fire first.
     * The default is left out where the server enforces it already (PostgreSQL's {@code statement_timeout},
     * set once per physical connection: pgjdbc would otherwise run a timer task per statement).
     */
    private int queryTimeoutSeconds() {
        long defaultNanos = owner.statementTimeoutNanos();
        long limit = defaultNanos;
        if (deadlineNanos != 0) {
            long left = Math.max(1, deadlineNanos - System.nanoTime());
            if (defaultNanos == 0 || left < defaultNanos) {
                limit = left + 1_000_000_000L;
            }
        }
        if (limit == defaultNanos && limit != 0 && serverEnforcesDefault()) {
            return 0;
        }
        return limit == 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (limit + 999_999_999L) / 1_000_000_000L));
    }

    private boolean serverEnforcesDefault() {
        if (serverTimeout == 0) {
            serverTimeout = owner.hasServerStatementTimeout(physical) ? (byte) 1 : (byte) -1;
        }
        return serverTimeout > 0;
    }

    /**
     * Whether a statement may change the session's statement timeout ({@code SET statement_timeout},
     * {@code RESET}, {@code DISCARD}); looks no further than the first word unless it is one of these.
     */
    static boolean mayChangeStatementTimeout(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (sql.regionMatches(true, i, "RESET", 0, 5) || sql.regionMatches(true, i, "DISCARD", 0, 7)) {
            return true;
        }
        return sql.regionMatches(true, i, "SET", 0, 3)
                && sql.toLowerCase(java.util.Locale.ROOT).contains("statement_timeout");
    }

    @Override
    public void aroundBoundary(ConnectionWrapper connection, Boundary boundary, SqlAction action)
            throws SQLException {
        if (lent) {
            switch (boundary) {
                case CLOSE -> {
                    return; // the unit closes the connection when it is done with it
                }
                case COMMIT, ROLLBACK, ENABLE_AUTO_COMMIT, DISABLE_AUTO_COMMIT -> throw new SQLNonTransientException(
                        owner.name() + ": " + boundary + " refused: this connection belongs to a unit of work, which "
                                + "commits or rolls back itself (throw from the work to roll back)", "25000");
            }
        }
        Fault fault = evictingFault;
        if (boundary == Boundary.CLOSE && fault != null) {
            evictNow(fault); // before the wrapper's close, so the pool never lends it again
            try {
                action.run();
            } catch (SQLException | RuntimeException e) {
                // The pool has let go of it already. HikariCP closes an evicted connection on another thread
                // and may then fail its own reset on close (NullPointerException): that must not replace the
                // unit's real failure.
                LOG.debug("{}: closing an evicted connection failed: {}", owner.name(), e.toString());
            }
            return;
        }
        action.run();
    }

    /** The unit is done with the work: from now on close() really closes (or evicts). */
    void endLending() {
        lent = false;
    }

    /** Closes the wrapper, its statements and the physical connection (evicting it when condemned). */
    void release() {
        endLending();
        try {
            wrapper.close();
        } catch (SQLException e) {
            LOG.debug("{}: closing a connection failed: {}", owner.name(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "Session[" + owner.name() + (lent ? ", lent" : "") + (evictingFault != null ? ", condemned" : "") + "]";
    }
}
