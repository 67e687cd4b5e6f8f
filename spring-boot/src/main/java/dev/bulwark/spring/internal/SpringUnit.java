package dev.bulwark.spring.internal;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a body as a Bulwark unit of work in a Spring application.
 *
 * <pre>
 * Spring transaction already bound to this DataSource (not ours)? refuse: it cannot be retried from inside
 * ds.inTransaction(options, connection →
 *     bind the unit's connection as Spring's transaction for this DataSource (an outer unit's binding is kept),
 *       so JdbcTemplate uses it and Spring's @Transactional(REQUIRED) joins it instead of committing on its own
 *     run the body; a DataAccessException with an SQLException inside goes to Bulwark as that SQLException
 *       (classified, retried if its kind allows); a checked exception is carried through as itself
 *     Spring marked the transaction rollback-only (a participant failed, the body went on)? roll back
 *     unbind)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class SpringUnit {

    /** The body: may run more than once, each time in a fresh transaction. */
    @FunctionalInterface
    public interface Body<T> {
        /** Runs once. */
        T call() throws Throwable;
    }

    private SpringUnit() {
    }

    /**
     * Runs {@code body} in a unit ({@code transactional}) or an autocommit unit, retried as {@code options} and
     * the data source's configuration allow.
     *
     * @throws SQLException the unit's classified failure (08007 when a commit's outcome stayed unknown)
     * @throws Throwable    whatever else the body threw, as itself
     */
    public static <T> T run(BulwarkDataSource dataSource, TransactionOptions options, boolean transactional,
                            Body<T> body) throws Throwable {
        Object bound = TransactionSynchronizationManager.getResource(dataSource);
        if (bound != null && !(bound instanceof UnitConnectionHolder)) {
            throw new IllegalTransactionStateException("A Bulwark unit of work was started inside a Spring-managed "
                    + "transaction on the same DataSource (" + dataSource.name() + "): Bulwark cannot retry a "
                    + "transaction it did not start. Put the Bulwark boundary (BulwarkTransactions or Bulwark's "
                    + "@Transactional) outside Spring's @Transactional, not inside it.");
        }
        Work<T> work = connection -> attempt(dataSource, connection, transactional && bound == null, body);
        try {
            return transactional ? dataSource.inTransaction(options, work) : dataSource.inAutoCommit(options, work);
        } catch (CarriedException e) {
            throw e.getCause();
        }
    }

    private static <T> T attempt(BulwarkDataSource dataSource, Connection connection, boolean bind, Body<T> body)
            throws SQLException {
        UnitConnectionHolder holder = bind ? new UnitConnectionHolder(connection) : null;
        if (holder != null) {
            TransactionSynchronizationManager.bindResource(dataSource, holder);
        }
        try {
            T result = body.call();
            if (holder != null && holder.isRollbackOnly()) {
                throw new UnexpectedRollbackException("Transaction rolled back because a participating Spring "
                        + "transaction marked it rollback-only");
            }
            return result;
        } catch (DataAccessException e) {
            SQLException sql = sqlCause(e);
            if (sql != null) {
                throw sql; // Bulwark classifies the driver's failure, not Spring's translation of it
            }
            throw e;
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable checked) {
            throw new CarriedException(checked);
        } finally {
            if (holder != null) {
                TransactionSynchronizationManager.unbindResource(dataSource);
            }
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** The unit's connection, shown to Spring as an active transaction it may join but not commit. */
    static final class UnitConnectionHolder extends ConnectionHolder {
        UnitConnectionHolder(Connection connection) {
            super(connection, true);
            setTransactionActive(true);
        }
    }

    /** A checked exception of the body, carried unchecked through the unit and thrown again as itself. */
    static final class CarriedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CarriedException(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
