package dev.bulwark.jdbc.internal.wrapper;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Test hooks: record what they see and replace every exception by one that keeps it as the cause. */
final class RecordingHooks implements JdbcHooks {

    record Seen(SQLException exception, WrapperContext context) {
    }

    record Executed(StatementWrapper<?> statement, Execution kind, String sql) {
    }

    record Crossed(ConnectionWrapper connection, Boundary boundary) {
    }

    final List<Seen> exceptions = new ArrayList<>();
    final List<Executed> executions = new ArrayList<>();
    final List<Crossed> boundaries = new ArrayList<>();

    @Override
    public SQLException onException(SQLException exception, WrapperContext context) {
        exceptions.add(new Seen(exception, context));
        return new SQLException("seen by hook: " + exception.getMessage(), exception.getSQLState(), exception);
    }

    @Override
    public <T> T aroundExecute(StatementWrapper<?> statement, Execution kind, String sql, SqlCall<T> execution)
            throws SQLException {
        executions.add(new Executed(statement, kind, sql));
        return execution.call();
    }

    @Override
    public void aroundBoundary(ConnectionWrapper connection, Boundary boundary, SqlAction action)
            throws SQLException {
        boundaries.add(new Crossed(connection, boundary));
        action.run();
    }
}
