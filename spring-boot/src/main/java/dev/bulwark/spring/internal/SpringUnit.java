package dev.bulwark.spring.internal;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Runs a body as a Bulwark unit of work in a Spring application.
 *
 * <pre>
 * Spring transaction already bound to this DataSource (not ours)? refuse: it cannot be retried from inside
 * outermost unit: Spring synchronization already active (a transaction on another resource)? suspend it
 * ds.inTransaction(options, connection →
 *     an earlier attempt's synchronizations still pending? its transaction was rolled back: afterCompletion(ROLLED_BACK)
 *     bind the unit's connection as Spring's transaction for this DataSource (an outer unit's binding is kept),
 *       so JdbcTemplate uses it and Spring's @Transactional(REQUIRED) joins it instead of committing on its own;
 *       outermost: start Spring's transaction synchronization for the attempt, so joined participants register
 *       their callbacks with the unit instead of running them when they return
 *     run the body; a DataAccessException with an SQLException inside goes to Bulwark as that SQLException
 *       (classified, retried if its kind allows); a checked exception is carried through as itself
 *     Spring marked the transaction rollback-only (a participant failed, the body went on)? roll back
 *     outermost: beforeCommit (the body succeeded), beforeCompletion; keep the synchronizations pending
 *     unbind, clear synchronization)
 * committed (a lost commit resolved COMMITTED included)? pending: afterCommit, afterCompletion(COMMITTED)
 * failed? pending: afterCompletion(UNKNOWN on 08007, else ROLLED_BACK); Spring suspended the attempt
 *   (REQUIRES_NEW, NOT_SUPPORTED: the unit's connection is all its thread gets, whose COMMIT and ROLLBACK the
 *   unit refuses and then stays rollback-only)? say so, naming REQUIRES_NEW
 * resume what was suspended
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
        boolean outermost = transactional && bound == null;
        Synchronizations pending = outermost ? new Synchronizations() : null;
        Suspended suspended = outermost ? Suspended.suspendIfActive() : null;
        Work<T> work = connection -> attempt(dataSource, connection, options, pending, body);
        try {
            T result = transactional ? dataSource.inTransaction(options, work) : dataSource.inAutoCommit(options, work);
            if (pending != null) {
                pending.committed();
            }
            return result;
        } catch (CarriedException e) {
            if (pending != null) {
                pending.completed(TransactionSynchronization.STATUS_ROLLED_BACK);
            }
            throw e.getCause();
        } catch (SQLException e) {
            if (pending != null) {
                pending.completed("08007".equals(e.getSQLState()) ? TransactionSynchronization.STATUS_UNKNOWN
                        : TransactionSynchronization.STATUS_ROLLED_BACK);
                if (pending.suspendedBySpring() && "25000".equals(e.getSQLState())) {
                    throw new IllegalTransactionStateException("The Bulwark unit of work on " + dataSource.name()
                            + " is rolled back: a Spring transaction with propagation REQUIRES_NEW (or "
                            + "NOT_SUPPORTED) was started inside it, on the unit's own connection (all the "
                            + "DataSource lends on the unit's thread), and its commit or rollback was refused; its "
                            + "writes must not commit as the unit's. Call it outside the unit, or let it join "
                            + "(REQUIRED).", e);
                }
            }
            throw e;
        } catch (RuntimeException | Error e) {
            if (pending != null) {
                pending.completed(TransactionSynchronization.STATUS_ROLLED_BACK);
            }
            throw e;
        } finally {
            if (suspended != null) {
                suspended.resume();
            }
        }
    }

    private static <T> T attempt(BulwarkDataSource dataSource, Connection connection, TransactionOptions options,
                                 Synchronizations pending, Body<T> body) throws SQLException {
        UnitConnectionHolder holder = pending != null ? new UnitConnectionHolder(connection) : null;
        if (holder != null) {
            pending.completed(TransactionSynchronization.STATUS_ROLLED_BACK); // the previous attempt's, if any
            TransactionSynchronizationManager.bindResource(dataSource, holder);
            TransactionSynchronizationManager.initSynchronization();
            TransactionSynchronizationManager.setActualTransactionActive(true);
            TransactionSynchronizationManager.setCurrentTransactionReadOnly(options.readOnly());
            TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(
                    options.isolation().isPresent() ? options.isolation().getAsInt() : null);
            TransactionSynchronizationManager.setCurrentTransactionName("Bulwark unit of work on " + dataSource.name());
            TransactionSynchronizationManager.registerSynchronization(pending.newGuard());
        }
        try {
            T result = body.call();
            if (holder != null && holder.isRollbackOnly()) {
                throw new UnexpectedRollbackException("Transaction rolled back because a participating Spring "
                        + "transaction marked it rollback-only");
            }
            if (holder != null) {
                TransactionSynchronizationUtils.triggerBeforeCommit(options.readOnly());
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
                try {
                    TransactionSynchronizationUtils.triggerBeforeCompletion(); // logs a callback's failure
                } finally {
                    pending.keep(TransactionSynchronizationManager.getSynchronizations());
                    TransactionSynchronizationManager.clear();
                    TransactionSynchronizationManager.unbindResourceIfPossible(dataSource);
                }
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

    /**
     * The Spring synchronizations of the unit's latest attempt, run once its outcome is known: afterCommit and
     * afterCompletion(COMMITTED) after Bulwark's COMMIT succeeded (or a lost one was resolved committed),
     * afterCompletion(ROLLED_BACK or UNKNOWN) otherwise. Each list is completed once.
     */
    static final class Synchronizations {
        private List<TransactionSynchronization> latest = List.of();
        private SuspensionGuard guard;

        /** A guard for a new attempt: it notices Spring suspending the attempt's transaction. */
        SuspensionGuard newGuard() {
            guard = new SuspensionGuard();
            return guard;
        }

        /** Whether Spring suspended the latest attempt's transaction (REQUIRES_NEW, NOT_SUPPORTED inside it). */
        boolean suspendedBySpring() {
            return guard != null && guard.suspended;
        }

        void keep(List<TransactionSynchronization> synchronizations) {
            latest = synchronizations;
        }

        void committed() {
            List<TransactionSynchronization> done = take();
            try {
                TransactionSynchronizationUtils.invokeAfterCommit(done);
            } finally {
                TransactionSynchronizationUtils.invokeAfterCompletion(done, TransactionSynchronization.STATUS_COMMITTED);
            }
        }

        void completed(int status) {
            TransactionSynchronizationUtils.invokeAfterCompletion(take(), status);
        }

        private List<TransactionSynchronization> take() {
            List<TransactionSynchronization> done = latest;
            latest = List.of();
            return done;
        }
    }

    /** Notices Spring suspending the unit's transaction (REQUIRES_NEW, NOT_SUPPORTED inside the unit). */
    static final class SuspensionGuard implements TransactionSynchronization {
        boolean suspended;

        @Override
        public void suspend() {
            suspended = true;
        }
    }

    /** Spring synchronization that was active outside the outermost unit (a transaction on another resource). */
    static final class Suspended {
        private final List<TransactionSynchronization> synchronizations;
        private final String name;
        private final boolean readOnly;
        private final Integer isolation;
        private final boolean active;

        private Suspended(List<TransactionSynchronization> synchronizations) {
            this.synchronizations = synchronizations;
            this.name = TransactionSynchronizationManager.getCurrentTransactionName();
            this.readOnly = TransactionSynchronizationManager.isCurrentTransactionReadOnly();
            this.isolation = TransactionSynchronizationManager.getCurrentTransactionIsolationLevel();
            this.active = TransactionSynchronizationManager.isActualTransactionActive();
        }

        static Suspended suspendIfActive() {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return null;
            }
            List<TransactionSynchronization> synchronizations =
                    new ArrayList<>(TransactionSynchronizationManager.getSynchronizations());
            for (TransactionSynchronization synchronization : synchronizations) {
                if (!(synchronization instanceof SuspensionGuard)) {
                    synchronization.suspend(); // a unit on another DataSource inside a unit is no REQUIRES_NEW
                }
            }
            Suspended suspended = new Suspended(synchronizations);
            TransactionSynchronizationManager.clear();
            return suspended;
        }

        void resume() {
            TransactionSynchronizationManager.initSynchronization();
            TransactionSynchronizationManager.setActualTransactionActive(active);
            TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(isolation);
            TransactionSynchronizationManager.setCurrentTransactionReadOnly(readOnly);
            TransactionSynchronizationManager.setCurrentTransactionName(name);
            for (TransactionSynchronization synchronization : synchronizations) {
                synchronization.resume();
                TransactionSynchronizationManager.registerSynchronization(synchronization);
            }
        }
    }

    /** The unit's connection, shown to Spring as an active transaction it may join but not commit. */
    static final class UnitConnectionHolder extends ConnectionHolder {
        UnitConnectionHolder(Connection connection) {
            super(connection, true);
            setSynchronizedWithTransaction(true);
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
