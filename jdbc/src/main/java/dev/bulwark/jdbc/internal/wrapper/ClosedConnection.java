package dev.bulwark.jdbc.internal.wrapper;

import dev.bulwark.codegen.GenerateRefusals;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The delegate of a closed {@link ConnectionWrapper}: every method fails with SQLState {@code 08003},
 * except the ones JDBC defines on a closed connection. Stateless; one shared instance.
 */
@GenerateRefusals(Connection.class)
abstract class ClosedConnection implements Connection, ClosedSentinel {

    static final Connection INSTANCE = new ClosedConnectionImpl();

    static final String SQL_STATE = "08003";

    final SQLException refusal() {
        return new SQLNonTransientConnectionException("connection is closed", SQL_STATE);
    }

    @Override
    public final void setClientInfo(String name, String value) throws SQLClientInfoException {
        throw clientInfoRefusal();
    }

    @Override
    public final void setClientInfo(Properties properties) throws SQLClientInfoException {
        throw clientInfoRefusal();
    }

    private static SQLClientInfoException clientInfoRefusal() {
        // setClientInfo may only throw this subclass, so it cannot share refusal().
        Map<String, ClientInfoStatus> none = Map.of();
        return new SQLClientInfoException("connection is closed", SQL_STATE, 0, none);
    }

    @Override
    public final void close() {
        // JDBC: closing a closed connection is a no-op.
    }

    @Override
    public final void abort(Executor executor) {
        // JDBC: aborting a closed connection is a no-op.
    }

    @Override
    public final boolean isClosed() {
        return true;
    }

    @Override
    public final boolean isValid(int timeout) {
        return false;
    }

    @Override
    public final String toString() {
        return "closed connection";
    }
}
