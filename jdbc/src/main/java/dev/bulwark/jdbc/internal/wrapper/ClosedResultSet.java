package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateRefusals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;

/**
 * The delegate of a closed {@link ResultSetWrapper}: every method fails with SQLState {@code 24000}
 * "result set is closed", except {@code close} and {@code isClosed}. Stateless; one shared instance.
 */
@GenerateRefusals(ResultSet.class)
abstract class ClosedResultSet implements ResultSet, ClosedSentinel {

    static final ResultSet INSTANCE = new ClosedResultSetImpl();

    static final String SQL_STATE = "24000";

    final SQLException refusal() {
        return new SQLNonTransientException("result set is closed", SQL_STATE);
    }

    @Override
    public final void close() {
        // JDBC: closing a closed result set is a no-op.
    }

    @Override
    public final boolean isClosed() {
        return true;
    }

    @Override
    public final String toString() {
        return "closed result set";
    }
}
