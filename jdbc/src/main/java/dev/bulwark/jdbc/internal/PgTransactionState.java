package dev.bulwark.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Whether pgjdbc knows the connection's transaction was aborted by the server (an error the work caught and went
 * on from): its COMMIT would be answered with ROLLBACK, which pgjdbc's {@code commit()} returns from normally
 * unless {@code raiseExceptionOnSilentRollback} is set. Read from pgjdbc's own state, no round trip.
 *
 * <p>pgjdbc is an optional dependency: this class is touched only after {@link SqlExceptions#pgjdbc()} said it is
 * on Bulwark's class path. Stateless and thread-safe.
 */
final class PgTransactionState {

    private PgTransactionState() {
    }

    /** True only when {@code c} is (or wraps) a pgjdbc connection whose transaction has failed. */
    static boolean failed(Connection c) {
        try {
            return c.isWrapperFor(BaseConnection.class)
                    && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
        } catch (SQLException | RuntimeException e) {
            return false; // not known: the COMMIT goes ahead and the driver reports what it does
        }
    }
}
