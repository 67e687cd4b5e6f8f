package dev.bulwark.jdbc.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.core.Fault;
import dev.bulwark.core.Rejection;
import dev.bulwark.core.internal.ChainNode;
import dev.bulwark.core.internal.ChainWalker;
import dev.bulwark.core.internal.KindTraits;
import dev.bulwark.core.internal.ServerText;
import java.sql.BatchUpdateException;
import java.sql.SQLClientInfoException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

/**
 * The exceptions Bulwark throws on the JDBC surface. A classified driver exception is put on the JDK's own
 * {@code SQLException} hierarchy, so callers can catch {@code SQLIntegrityConstraintViolationException} or
 * {@code SQLTransientException} whatever the driver, except where JDBC itself promises a type: a batch failure
 * stays a {@link BatchUpdateException} (with the driver's update counts), an unsupported feature a
 * {@link SQLFeatureNotSupportedException}, a client-info failure a {@link SQLClientInfoException}.
 *
 * <p>The SQLState and vendor code are kept and the driver's exception is the cause, with everything the driver
 * put in its message. Bulwark's own message names the kind of failure and carries the server's primary message
 * with literal values redacted ({@link ServerText}): PostgreSQL's primary text without Detail, Hint or Where,
 * MariaDB/MySQL's and SQLite's message with quoted values replaced by {@code ?}. It never carries SQL text or
 * bind values, so it can be logged and shown where the driver's message cannot.
 *
 * <p>Stateless and thread-safe.
 */
public final class SqlExceptions {

    /** SQLState for "transaction resolution unknown": the commit may or may not have happened. */
    public static final String RESOLUTION_UNKNOWN = "08007";

    /** Whether pgjdbc is on Bulwark's class path, so {@link PgServerText} may be loaded. */
    private static final boolean PGJDBC = loadable("org.postgresql.util.ServerErrorMessage");

    /** Whether pgjdbc is on Bulwark's class path, so that pgjdbc-only helpers may be loaded. */
    static boolean pgjdbc() {
        return PGJDBC;
    }

    private SqlExceptions() {
    }

    /**
     * The exception to throw for the driver's {@code e}, classified as {@code fault}: a new exception of the JDK
     * type that fits the fault's kind (or the type JDBC promises for the operation), whose message is Bulwark's
     * and whose cause is {@code e}. Bulwark's own refusals ({@link Rejection}) are returned as they are.
     */
    public static SQLException translate(SQLException e, Fault fault) {
        if (e instanceof Rejection) {
            return e; // Bulwark's own: typed, named and free of driver text already
        }
        String server = serverText(e, fault);
        String message = (server == null ? fault.message() : KindTraits.headline(fault.kind()) + ": " + server)
                + describeCodes(e);
        String state = e.getSQLState() != null ? e.getSQLState() : classState(fault);
        int code = e.getErrorCode();
        if (e instanceof BatchUpdateException batch) {
            // JDBC promises BatchUpdateException from executeBatch, and callers read its update counts
            BatchUpdateException translated = new BatchUpdateException(message, state, code,
                    batch.getLargeUpdateCounts(), e);
            translated.setNextException(batch.getNextException()); // pgjdbc's message says to look there
            return translated;
        } else if (e instanceof SQLFeatureNotSupportedException) {
            return new SQLFeatureNotSupportedException(message, state, code, e);
        } else if (e instanceof SQLClientInfoException info) {
            return new SQLClientInfoException(message, state, code, info.getFailedProperties(), e);
        }
        Class<? extends SQLException> type = jdkType(fault, e.getSQLState());
        return create(type != null ? type : jdkTypeOf(e), message, state, code, e);
    }

    /**
     * Whether Bulwark's code created {@code e} (its first stack frame is Bulwark's): a translation, a refusal, a
     * recovery error. Such an exception's message is Bulwark's, so it is thrown as it is rather than translated.
     * The testkit's injected faults stand in for a driver's and do not count.
     */
    public static boolean createdByBulwark(Throwable e) {
        if (e instanceof Rejection) {
            return true;
        }
        StackTraceElement[] frames = e.getStackTrace();
        String creator = frames.length > 0 ? frames[0].getClassName() : "";
        return creator.startsWith("dev.bulwark.") && !creator.startsWith("dev.bulwark.testkit.");
    }

    /** The commit's outcome could not be found out: SQLState 08007, never retried. */
    public static SQLException resolutionUnknown(String dataSource, String detail, SQLException commitFailure) {
        SQLNonTransientConnectionException e = new SQLNonTransientConnectionException(dataSource
                + ": the connection was lost while COMMIT was in flight and whether the transaction committed "
                + "could not be determined (" + detail + "); check the data before retrying",
                RESOLUTION_UNKNOWN, commitFailure);
        return e;
    }

    /**
     * The unit's deadline passed while waiting on the database (its network timeout fired): SQLState HYT00,
     * never retried, since no time is left. The connection it was waiting on has been given up. A batch that
     * the deadline cut stays a {@link BatchUpdateException} (JDBC's type for {@code executeBatch}) with the
     * driver's update counts; anything else is an {@link SQLTimeoutException}.
     */
    public static SQLException deadlineExceeded(String dataSource, SQLException cause) {
        String message = dataSource + ": the deadline passed while waiting for the database; the connection was "
                + "given up";
        if (cause instanceof BatchUpdateException batch) {
            BatchUpdateException cut = new BatchUpdateException(message, "HYT00", 0, batch.getLargeUpdateCounts(),
                    cause);
            cut.setNextException(batch.getNextException());
            return cut;
        }
        return new SQLTimeoutException(message, "HYT00", cause);
    }

    /** The host probe got no answer from the database: new connections are refused without waiting. */
    public static SQLException hostSilent(String dataSource, long silentMillis) {
        return new SQLRecoverableException(dataSource + ": the database has not answered Bulwark's probe for "
                + silentMillis + " ms (hung, overloaded or cut off); not waiting for a connection until it answers",
                "08001");
    }

    /**
     * What Bulwark sends on a connection before lending it did not get its answer by the end of the wait for a
     * connection (its read bound fired): a timeout (HYT00, never retried), not a lost session. The connection
     * was given up, since the driver cannot use it after a cut read.
     */
    public static SQLException setUpTimedOut(String dataSource, SQLException cause) {
        return new SQLTimeoutException(dataSource + ": the wait for a connection ran out while the connection was "
                + "being set up (its set-up read got no answer in time); the connection was given up", "HYT00",
                cause);
    }

    /** Whether {@code e} came from a socket read cut by its network timeout. */
    public static boolean readTimedOut(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The thread was interrupted while waiting for the database to come back. */
    public static SQLException interrupted(String dataSource, SQLException last) {
        return new SQLTransientConnectionException(dataSource + ": interrupted while waiting for the database to "
                + "accept connections again", "08001", last);
    }

    /** An autocommit write lost its connection mid-statement: it may or may not have been applied. */
    public static SQLException writeOutcomeUnknown(String dataSource, SQLException cause) {
        return new SQLNonTransientConnectionException(dataSource + ": the connection was lost while an autocommit "
                + "write was in flight; it may or may not have been applied (run it in a unit of work, or mark it "
                + "idempotent, to have Bulwark settle or retry it)", RESOLUTION_UNKNOWN, cause);
    }

    /** The commit was lost and is known not to have happened: retried like a lost connection. */
    public static SQLException notCommitted(String dataSource, SQLException commitFailure) {
        return new SQLTransientConnectionException(dataSource + ": the connection was lost during COMMIT and "
                + "the transaction is known not to have committed; the unit will be run again", "08006",
                commitFailure);
    }

    /** A plain {@code commit()} was lost and is known not to have happened: the transaction was rolled back. */
    public static SQLException plainNotCommitted(String dataSource, SQLException commitFailure) {
        return new SQLTransientConnectionException(dataSource + ": the connection was lost during COMMIT and the "
                + "transaction is known not to have committed (it was rolled back); running it again is safe",
                "08006", commitFailure);
    }

    /**
     * A statement inside an open transaction lost its connection: the server rolls the transaction back, so
     * nothing of it was applied.
     */
    public static SQLException lostInsideTransaction(String dataSource, SQLException cause) {
        return new SQLRecoverableException(dataSource + ": the connection was lost inside a transaction; the "
                + "transaction was rolled back by the server, so none of its writes were applied",
                cause.getSQLState() != null && cause.getSQLState().startsWith("08") ? cause.getSQLState() : "08006",
                cause.getErrorCode(), cause);
    }

    /**
     * A call or statement that would take the transaction out of its unit's hands: refused before anything was
     * sent (SQLState 25000, never retried).
     */
    public static SQLException refusedInUnit(String dataSource, String what, String instead) {
        return new SQLNonTransientException(dataSource + ": " + what + " refused: this connection belongs to a unit "
                + "of work, which owns its transaction (" + instead + ")", "25000");
    }

    /** A write in a read-only unit, refused by the server: the unit's own doing, not a failover. */
    public static SQLException writeInReadOnlyUnit(String dataSource, SQLException cause) {
        return new SQLNonTransientException(dataSource + ": a write in a read-only unit of work was refused by the "
                + "server [SQLState " + cause.getSQLState() + "]", "25000", cause);
    }

    /**
     * A unit whose transaction was ended by an earlier fault (deadlock, serialization failure, lost connection,
     * or a nested unit that could not be rolled back to its savepoint), which the work caught and went on: it is
     * not committed. Retryable (40000) when that fault was, else 25000.
     */
    public static SQLException rollbackOnly(String dataSource, Fault fault, SQLException cause) {
        String message = dataSource + ": the unit's transaction was ended by an earlier failure (" + fault
                + ") that the work went on from; the unit is rolled back, not committed";
        return fault.retryable()
                ? new SQLTransactionRollbackException(message, "40000", cause)
                : new SQLNonTransientException(message, "25000", cause);
    }

    /**
     * A SQLState for a failure that came without one (HikariCP's "connection is not available" timeout,
     * some drivers' socket errors), so that callers checking the class of the state see what happened.
     */
    /**
     * The SQLState of a driver exception that carries none (SQLite's, a pool's, a driver's own failures): the
     * class of its kind, so that nothing leaves the JDBC surface without one.
     */
    private static String classState(Fault fault) {
        return switch (fault.kind()) {
            case CONNECTION -> "08000";
            case TIMEOUT -> "HYT00";
            case TRANSIENT -> "40001";
            case AMBIGUOUS_COMMIT -> "08007";
            case READ_ONLY -> "25006";
            case RESOURCE -> "53000";
            case STORAGE_FULL -> "53100";
            case CONSTRAINT -> "23000";
            case PERMISSION -> "42501";
            case PROGRAMMING -> "42000";
            case CORRUPTION -> "XX001";
            case REJECTED, UNKNOWN -> "HY000";
        };
    }

    private static String describeCodes(SQLException e) {
        StringBuilder s = new StringBuilder();
        if (e.getSQLState() != null) {
            s.append(" [SQLState ").append(e.getSQLState()).append(']');
        }
        if (e.getErrorCode() != 0) {
            s.append(" [vendor code ").append(e.getErrorCode()).append(']');
        }
        return s.toString();
    }

    private static Class<? extends SQLException> jdkType(Fault fault, String sqlState) {
        return switch (fault.kind()) {
            case CONSTRAINT -> SQLIntegrityConstraintViolationException.class;
            case TRANSIENT -> SQLTransactionRollbackException.class;
            case CONNECTION -> SQLRecoverableException.class;
            case AMBIGUOUS_COMMIT -> SQLNonTransientConnectionException.class;
            case TIMEOUT -> SQLTimeoutException.class;
            case PERMISSION -> SQLInvalidAuthorizationSpecException.class;
            case PROGRAMMING -> sqlState != null && sqlState.startsWith("22")
                    ? SQLDataException.class : SQLSyntaxErrorException.class;
            case READ_ONLY, RESOURCE -> SQLTransientException.class;
            case STORAGE_FULL, CORRUPTION -> SQLNonTransientException.class;
            case REJECTED, UNKNOWN -> null; // keeps the JDK type the driver chose (jdkTypeOf)
        };
    }

    private static SQLException create(Class<? extends SQLException> type, String message, String state,
                                       int code, SQLException cause) {
        if (type == SQLIntegrityConstraintViolationException.class) {
            return new SQLIntegrityConstraintViolationException(message, state, code, cause);
        } else if (type == SQLTransactionRollbackException.class) {
            return new SQLTransactionRollbackException(message, state, code, cause);
        } else if (type == SQLRecoverableException.class) {
            return new SQLRecoverableException(message, state, code, cause);
        } else if (type == SQLNonTransientConnectionException.class) {
            return new SQLNonTransientConnectionException(message, state, code, cause);
        } else if (type == SQLTimeoutException.class) {
            return new SQLTimeoutException(message, state, code, cause);
        } else if (type == SQLInvalidAuthorizationSpecException.class) {
            return new SQLInvalidAuthorizationSpecException(message, state, code, cause);
        } else if (type == SQLDataException.class) {
            return new SQLDataException(message, state, code, cause);
        } else if (type == SQLSyntaxErrorException.class) {
            return new SQLSyntaxErrorException(message, state, code, cause);
        } else if (type == SQLTransientException.class) {
            return new SQLTransientException(message, state, code, cause);
        } else if (type == SQLTransientConnectionException.class) {
            return new SQLTransientConnectionException(message, state, code, cause);
        } else if (type == SQLNonTransientException.class) {
            return new SQLNonTransientException(message, state, code, cause);
        }
        return new SQLException(message, state, code, cause);
    }

    /** The most specific class of the JDK's hierarchy that {@code e} is an instance of. */
    private static Class<? extends SQLException> jdkTypeOf(SQLException e) {
        Class<?> c = e.getClass();
        while (!c.getName().startsWith("java.sql.")) {
            c = c.getSuperclass();
        }
        return c.asSubclass(SQLException.class);
    }

    /**
     * The server's primary message, redacted, from the exception that decided the fault or one it leads to
     * through next exceptions and causes (a PostgreSQL batch failure carries the server's error as its next
     * exception); {@code null} when none carries one. Suppressed exceptions describe other failures (earlier
     * attempts, a failed rollback) and are not read.
     */
    private static String serverText(SQLException e, Fault fault) {
        String text = serverText(fault.cause());
        return text != null || fault.cause() == e ? text : serverText(e);
    }

    private static String serverText(Throwable decisive) {
        for (ChainNode node : ChainWalker.walk(decisive)) {
            if (!node.isSqlException() || node.path().contains("suppressed")) {
                continue;
            }
            String text = primary(node.throwable());
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    private static String primary(Throwable t) {
        try {
            Dialect dialect = Dialect.inferFrom(t);
            if (dialect == Dialect.POSTGRESQL) {
                String primary = PGJDBC ? PgServerText.primary(t) : null;
                return primary == null ? null : ServerText.redact(primary);
            }
            return ServerText.primary(dialect, t.getMessage());
        } catch (RuntimeException foreign) {
            return null; // a driver's accessor misbehaved: the message then goes without the server's text
        }
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, SqlExceptions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
