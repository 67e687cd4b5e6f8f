package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateDelegates;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks.Execution;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The application's view of a prepared statement. Hand-written here: the four parameterless
 * {@code execute*} methods (through {@link JdbcHooks#aroundExecute}, with the prepared SQL); the
 * setters and everything else are generated in {@code PreparedStatementWrapperImpl}.
 *
 * <p>Thread safety as for a JDBC prepared statement.
 *
 * @param <S> the type of the delegate, bound to the wrapped interface by the generated subclass
 */
@GenerateDelegates(value = PreparedStatement.class, watched = {"getMoreResults", "getGeneratedKeys", "getMetaData",
        "getParameterMetaData"})
public abstract class PreparedStatementWrapper<S extends PreparedStatement> extends StatementWrapper<S>
        implements PreparedStatement {

    private final String sql;

    PreparedStatementWrapper(ConnectionWrapper connection, S delegate, String sql) {
        super(connection, delegate);
        this.sql = sql;
    }

    /** The SQL this statement was prepared with. */
    public final String sql() {
        return sql;
    }

    @Override
    final String batchSql() {
        return sql;
    }

    @Override
    public final ResultSet executeQuery() throws SQLException {
        return wrapResultSet(execute(Execution.QUERY, sql, () -> delegate.executeQuery()));
    }

    @Override
    public final boolean execute() throws SQLException {
        return execute(Execution.EXECUTE, sql, () -> delegate.execute());
    }

    @Override
    public final int executeUpdate() throws SQLException {
        return execute(Execution.UPDATE, sql, () -> delegate.executeUpdate());
    }

    @Override
    public final long executeLargeUpdate() throws SQLException {
        return execute(Execution.UPDATE, sql, () -> delegate.executeLargeUpdate());
    }
}
