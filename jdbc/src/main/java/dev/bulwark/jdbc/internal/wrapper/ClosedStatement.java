package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateRefusals;
import java.sql.CallableStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;

/**
 * The delegate of a closed Statement, PreparedStatement or CallableStatement wrapper (it implements all
 * three): every method fails with SQLState {@code HY010} "statement is closed", except {@code close} and
 * {@code isClosed}. Stateless; one shared instance.
 */
@GenerateRefusals(CallableStatement.class)
abstract class ClosedStatement implements CallableStatement, ClosedSentinel {

    static final CallableStatement INSTANCE = new ClosedStatementImpl();

    static final String SQL_STATE = "HY010";

    final SQLException refusal() {
        return new SQLNonTransientException("statement is closed", SQL_STATE);
    }

    @Override
    public final void close() {
        // JDBC: closing a closed statement is a no-op.
    }

    @Override
    public final boolean isClosed() {
        return true;
    }

    @Override
    public final String toString() {
        return "closed statement";
    }
}
