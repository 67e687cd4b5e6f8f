package dev.bulwark.cli.internal.demo;

import dev.bulwark.core.FaultKind;
import dev.bulwark.core.Faults;
import dev.bulwark.core.Rejection;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How the demo's application runs one transfer: through Bulwark's unit of work, or as plain JDBC
 * (begin, statements, commit, no retry), the way most code is written.
 *
 * <p>Implementations are thread-safe.
 */
sealed interface TransferClient {

    /** The result of one transfer as the application sees it, with the fault kind of a failure. */
    record Result(Outcome outcome, FaultKind kind) {
    }

    /** Runs {@code t}; never throws: a failure is an outcome. */
    Result transfer(Bank.Transfer t);

    /** Each transfer is one {@code inTransaction} unit: retried, resolved and guarded by Bulwark. */
    record WithBulwark(BulwarkDataSource ds, Bank bank) implements TransferClient {
        @Override
        public Result transfer(Bank.Transfer t) {
            try {
                ds.inTransaction(c -> {
                    bank.transfer(c, t);
                    return null;
                });
                return new Result(Outcome.COMMITTED, null);
            } catch (SQLException e) {
                if (e instanceof Rejection) {
                    return new Result(Outcome.REJECTED, FaultKind.REJECTED);
                }
                if ("08007".equals(e.getSQLState())) {
                    return new Result(Outcome.UNKNOWN, FaultKind.AMBIGUOUS_COMMIT);
                }
                return new Result(Outcome.FAILED, Faults.classify(e).kind());
            }
        }
    }

    /** Plain JDBC: a failure at any point, the commit included, is reported as a failed transfer. */
    record Plain(DataSource ds, Bank bank) implements TransferClient {
        @Override
        public Result transfer(Bank.Transfer t) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    bank.transfer(c, t);
                    c.commit();
                } catch (SQLException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
                return new Result(Outcome.COMMITTED, null);
            } catch (SQLException e) {
                return new Result(Outcome.FAILED, Faults.classify(e).kind());
            }
        }

        private static void rollbackQuietly(Connection c, SQLException failure) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure); // the connection is probably gone; the first failure matters
            }
        }
    }
}
