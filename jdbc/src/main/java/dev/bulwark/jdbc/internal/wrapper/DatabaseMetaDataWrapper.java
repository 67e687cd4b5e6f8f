package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateDelegates;
import dev.bulwark.codegen.WrapsResult;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The application's view of database metadata. Hand-written here: {@code getConnection} (the connection
 * wrapper), {@code unwrap}/{@code isWrapperFor}, and the rule that wraps every result set a metadata
 * method returns ({@link #wrapResultSet}, applied by the generator to all of them); everything else is
 * generated in {@code DatabaseMetaDataWrapperImpl}.
 *
 * <p>It has no closed state of its own: once its connection is closed, the driver answers.
 *
 * <p>Thread safety as for the driver's metadata.
 */
@GenerateDelegates(value = DatabaseMetaData.class, watched = "*")
public abstract class DatabaseMetaDataWrapper implements DatabaseMetaData, WrapperContext {

    final DatabaseMetaData delegate;

    private final ConnectionWrapper connection;

    DatabaseMetaDataWrapper(ConnectionWrapper connection, DatabaseMetaData delegate) {
        this.connection = connection;
        this.delegate = delegate;
    }

    @Override
    public final ConnectionWrapper connection() {
        return connection;
    }

    /** Before every generated metadata call: most ask the database (see {@link JdbcHooks#enterCall}). */
    final void enterCall() {
        connection.hooks().enterCall();
    }

    final void exitCall() {
        connection.hooks().exitCall();
    }

    final SQLException checkException(SQLException e) {
        return connection.checkException(e, this);
    }

    /**
     * Wraps a metadata result set. If the driver reports a statement behind it, that statement is wrapped
     * too (untracked: it belongs to the driver), so {@code rs.getStatement().getConnection()} is the
     * connection wrapper, never the driver's connection.
     */
    @WrapsResult
    final ResultSet wrapResultSet(ResultSet resultSet) throws SQLException {
        if (resultSet == null) {
            return null;
        }
        Statement statement = resultSet.getStatement();
        if (statement == null) {
            return new ResultSetWrapperImpl(connection, null, resultSet);
        }
        return new StatementWrapperImpl(connection, statement).wrapResultSet(resultSet);
    }

    /** The connection wrapper, never the driver's connection. */
    @Override
    public final Connection getConnection() {
        return connection;
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
        return "Bulwark metadata wrapping " + delegate;
    }
}
