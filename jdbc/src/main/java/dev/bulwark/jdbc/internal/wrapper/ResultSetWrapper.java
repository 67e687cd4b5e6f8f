package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateDelegates;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The application's view of a result set. Hand-written here: {@code getStatement} (the statement
 * wrapper), {@code close}, {@code unwrap}/{@code isWrapperFor} and the exception hook; the getters,
 * cursor moves and updaters are generated in {@code ResultSetWrapperImpl}, each a single delegate call.
 *
 * <p>Thread safety as for a JDBC result set.
 */
@GenerateDelegates(value = ResultSet.class, watched = {"next", "previous", "first", "last", "absolute", "relative",
        "beforeFirst", "afterLast", "isLast", "refreshRow", "insertRow", "updateRow", "deleteRow"})
public abstract class ResultSetWrapper implements ResultSet, WrapperContext {

    /** The driver's result set, or {@link ClosedResultSet#INSTANCE} once closed. */
    ResultSet delegate;

    /** The driver's result set, also after close (to recognise it when the statement returns it again). */
    final ResultSet target;

    private final ConnectionWrapper connection;
    private final StatementWrapper<?> statement;

    ResultSetWrapper(ConnectionWrapper connection, StatementWrapper<?> statement, ResultSet delegate) {
        this.connection = connection;
        this.statement = statement;
        this.delegate = delegate;
        this.target = delegate;
    }

    @Override
    public final ConnectionWrapper connection() {
        return connection;
    }

    /** Before a generated cursor move that may fetch rows from the database (see {@link JdbcHooks#enterCall}). */
    final void enterCall() {
        connection.hooks().enterCall();
    }

    final void exitCall() {
        connection.hooks().exitCall();
    }

    final SQLException checkException(SQLException e) {
        return delegate instanceof ClosedSentinel ? e : connection.checkException(e, this);
    }

    /** The statement wrapper that produced this result set; null if the driver reports none. */
    @Override
    public final Statement getStatement() throws SQLException {
        if (delegate instanceof ClosedSentinel) {
            return delegate.getStatement();
        }
        return statement;
    }

    /** Closes the driver's result set; afterwards every method fails with SQLState 24000. */
    @Override
    public final void close() throws SQLException {
        ResultSet physical = delegate;
        if (physical instanceof ClosedSentinel) {
            return;
        }
        delegate = ClosedResultSet.INSTANCE;
        if (statement != null) {
            statement.untrack(this);
        }
        try {
            physical.close();
        } catch (SQLException e) {
            throw connection.checkException(e, this);
        }
    }

    /** Marks this wrapper closed because the driver closed (or will close) its result set. */
    final void detach() {
        delegate = ClosedResultSet.INSTANCE;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        try {
            T found = Wrappers.unwrap(this, delegate, iface);
            return found == this ? found : connection.hooks().checkUnwrapped(iface, found);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        try {
            return Wrappers.isWrapperFor(this, delegate, iface);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public final String toString() {
        return "Bulwark result set wrapping " + delegate;
    }
}
