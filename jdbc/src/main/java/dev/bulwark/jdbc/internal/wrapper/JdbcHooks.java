package dev.bulwark.jdbc.internal.wrapper;

import java.sql.SQLException;

/**
 * The interception points of the JDBC wrappers, for the resilience layer (classification, eviction,
 * statement timeouts, slow-statement log, retries, units of work). Small before/after points in the
 * spirit of datasource-proxy's listeners: an implementation should stay a thin handler that forwards to
 * a separately testable logic class.
 *
 * <p>One instance belongs to one wrapped DataSource (or one connection); there is no global state. Every
 * method has a pass-through default, so {@link #NONE} makes the wrappers pure delegation.
 *
 * <p>Order: a driver's {@code SQLException} passes through {@link #onException} exactly once, where the
 * driver threw it, before any around-hook sees it; exceptions thrown by the hooks themselves do not.
 *
 * <p>Implementations must be thread-safe: one instance serves all connections of a data source.
 */
public interface JdbcHooks {

    /** Hooks that change nothing. */
    JdbcHooks NONE = new JdbcHooks() {
        @Override
        public String toString() {
            return "JdbcHooks.NONE";
        }
    };

    /** The kinds of {@code execute*} call on a Statement. */
    enum Execution {
        /** {@code executeQuery}: a read. */
        QUERY,
        /** {@code executeUpdate}, {@code executeLargeUpdate}: a write. */
        UPDATE,
        /** {@code execute}: unknown until it has run. */
        EXECUTE,
        /** {@code executeBatch}, {@code executeLargeBatch}: writes. */
        BATCH
    }

    /**
     * Connection calls that start, end, change or abandon a transaction or the connection itself:
     * {@code commit()}, {@code rollback()}, {@code setAutoCommit(true/false)}, {@code close()},
     * {@code setReadOnly(..)}, {@code setTransactionIsolation(..)} and {@code abort(..)}.
     */
    enum Boundary { COMMIT, ROLLBACK, ENABLE_AUTO_COMMIT, DISABLE_AUTO_COMMIT, CLOSE, SET_READ_ONLY, SET_ISOLATION, ABORT }

    /** A JDBC call that returns a value. */
    @FunctionalInterface
    interface SqlCall<T> {
        /**
         * Performs the call.
         *
         * @throws SQLException what the driver threw, as {@link #onException} returned it
         */
        T call() throws SQLException;
    }

    /** A JDBC call without a result. */
    @FunctionalInterface
    interface SqlAction {
        /**
         * Performs the call.
         *
         * @throws SQLException what the driver threw, as {@link #onException} returned it
         */
        void run() throws SQLException;
    }

    /**
     * Sees every {@code SQLException} a driver throws through a wrapper and returns the one to throw
     * (the same, or a replacement that keeps it as the cause). Used for classification and for marking
     * the connection for eviction.
     *
     * @param exception what the driver threw
     * @param context the wrapper the call went through; {@link WrapperContext#connection()} is its connection
     */
    default SQLException onException(SQLException exception, WrapperContext context) {
        return exception;
    }

    /**
     * Called before a call that may wait for the database outside {@link #aroundExecute} and the boundaries: a
     * result set's cursor moves (a streamed result fetches its next rows), every metadata call, the connection's
     * generated calls ({@code isValid}, {@code getTransactionIsolation}, {@code getSchema}, ...), a statement's
     * {@code getMoreResults}/{@code getGeneratedKeys}, a prepared statement's metadata. Followed by
     * {@link #exitCall} when the call returns or throws. Must be cheap and must not throw: it runs on the hot path.
     */
    default void enterCall() {
    }

    /** The call announced by {@link #enterCall} returned or threw. */
    default void exitCall() {
    }

    /**
     * Runs around every {@code execute*} call of a Statement, PreparedStatement or CallableStatement.
     * {@code execution} may be called once (the default), not at all (refusal), or again (retry).
     *
     * @param statement the statement wrapper (to set a query timeout, or find the connection)
     * @param kind what kind of execute this is
     * @param sql the SQL text: the argument, or the prepared SQL; {@code null} for a plain batch
     * @throws SQLException from the execution or the hook's own refusal
     */
    default <T> T aroundExecute(StatementWrapper<?> statement, Execution kind, String sql, SqlCall<T> execution)
            throws SQLException {
        return execution.call();
    }

    /**
     * Runs around the {@link Boundary} calls of a connection wrapper. A unit of work refuses the boundaries of
     * a connection it lent out by throwing instead of calling {@code action}.
     *
     * @throws SQLException from the action or the hook's own refusal
     */
    default void aroundBoundary(ConnectionWrapper connection, Boundary boundary, SqlAction action)
            throws SQLException {
        action.run();
    }

    /**
     * Runs around {@code setSavepoint()} and {@code setSavepoint(name)} of a connection wrapper.
     *
     * @return the driver's savepoint, as {@code call} returned it
     * @throws SQLException from the call
     */
    default java.sql.Savepoint aroundSetSavepoint(ConnectionWrapper connection, SqlCall<java.sql.Savepoint> call)
            throws SQLException {
        return call.call();
    }

    /**
     * Runs around {@code rollback(savepoint)} of a connection wrapper.
     *
     * @throws SQLException from the action
     */
    default void aroundRollbackTo(ConnectionWrapper connection, java.sql.Savepoint savepoint, SqlAction action)
            throws SQLException {
        action.run();
    }

    /**
     * Called before {@code Statement.addBatch(sql)} passes {@code sql} to the driver (whose batch
     * {@link #aroundExecute} sees without its SQL); throwing refuses it.
     *
     * @throws SQLException the hook's refusal
     */
    default void beforeBatchAdd(StatementWrapper<?> statement, String sql) throws SQLException {
    }

    /**
     * Called before a connection wrapper's {@code unwrap(iface)} hands out something other than the wrapper
     * itself (the driver's or the pool's object); throwing refuses it.
     *
     * @param iface what the caller asked for
     * @throws SQLException the hook's refusal
     */
    default void checkUnwrap(Class<?> iface) throws SQLException {
    }

    /**
     * Called with what a wrapper's {@code unwrap(iface)} found when that is not the wrapper itself (the driver's
     * or the pool's connection, statement, result set or metadata); returns what the caller gets (the object, or
     * a view of it), or throws to refuse it.
     *
     * @throws SQLException the hook's refusal
     */
    default <T> T checkUnwrapped(Class<T> iface, T found) throws SQLException {
        return found;
    }
}
