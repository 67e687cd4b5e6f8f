package dev.bulwark.jdbc.internal;

import dev.bulwark.core.AttemptContext;
import dev.bulwark.core.Fault;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitToken;
import dev.bulwark.jdbc.internal.resolve.Resolution;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a unit of work: fresh connection, begin, work, commit, and on a lost commit
 * acknowledgement the resolution of its outcome. The retry loop around attempts is the data source's
 * {@code Guard}; this class decides what each attempt's failure means.
 *
 * <pre>
 * acquire → begin (isolation; read-only on the server: SET TRANSACTION READ ONLY / START TRANSACTION READ ONLY /
 *   PRAGMA query_only; SQLite: BEGIN IMMEDIATE for writers) → work on the lent connection (transaction control
 *   refused; nested units under savepoints) → rollback-only? then fail, do not commit
 *   → record the resolution token → COMMIT under the commit timeout, within the commit phase (deadline + grace)
 *       lost while in flight → resolve: committed → result; not committed → retryable; unknown → 08007
 * any failure → roll back (errors suppressed; a failed rollback evicts the connection without restoring it),
 *   evict the connection if its fault calls for it, rethrow
 * success → restore and release; nothing after the COMMIT can fail the unit
 * </pre>
 */
final class UnitOfWork<T> {

    private static final Logger LOG = LoggerFactory.getLogger(UnitOfWork.class);

    private final ResilientDataSource owner;
    private final TransactionOptions options;
    private final Work<T> work;
    private final boolean transactional;

    UnitOfWork(ResilientDataSource owner, TransactionOptions options, Work<T> work, boolean transactional) {
        this.owner = owner;
        this.options = options;
        this.work = work;
        this.transactional = transactional;
    }

    T attempt(AttemptContext context) throws SQLException {
        long deadline = System.nanoTime() + context.remaining().toNanos();
        Connection physical = owner.acquirePhysical(context);
        ServerFamily family;
        try {
            family = owner.serverFamily(physical);
        } catch (SQLException | RuntimeException e) {
            physical.close(); // not lent yet: back to the pool as it came
            throw e;
        }
        Session session = Session.lent(owner, physical, deadline, !transactional && !options.idempotent(),
                transactional, options.readOnly(), family);
        ConnectionState saved = null;
        try {
            session.applyDeadline(); // a hung server must not outlive the unit's deadline
            if (transactional) {
                session.enterCall(); // watched until the deadline, like the work's calls
                try {
                    // Recorded before BEGIN, so a BEGIN that fails half-way is still rolled back and restored.
                    saved = new ConnectionState(options.isolation().isPresent() ? physical.getTransactionIsolation()
                            : -1, options.readOnly());
                    begin(physical, family);
                } finally {
                    session.exitCall();
                }
            }
            T result;
            try {
                result = owner.runBound(session, work);
            } catch (SQLException fromWork) {
                throw session.fromWork(fromWork);
            }
            if (transactional) {
                // A fault that ended the server's transaction, which the work caught and went on from: what
                // the work did afterwards ran in a new transaction (MariaDB) and is not the unit.
                session.refuseIfRollbackOnly();
                commit(session, deadline, family);
            }
            if (!options.readOnly()) {
                owner.observeCommit(session); // a cluster's read-your-writes position; nothing here can fail the unit
            }
            finish(session, saved);
            return result;
        } catch (SQLException | RuntimeException | Error failure) {
            SQLException sql = failure instanceof SQLException e ? session.onException(e, session.wrapper()) : null;
            abandon(session, saved, sql != null ? sql : failure);
            if (sql != null) {
                throw sql;
            }
            throw failure;
        }
    }

    /**
     * Puts the connection back after the unit succeeded. The work is done (and committed): from here on
     * nothing may fail the unit, or the Guard would run a committed unit again. A connection that cannot
     * be restored is evicted instead.
     */
    private void finish(Session session, ConnectionState saved) {
        session.endLending();
        if (session.evictingFault() == null) { // an evicted connection goes nowhere: nothing to put back
            session.enterRollbackCall();
            try {
                restore(session.physical(), saved);
            } catch (SQLException | RuntimeException e) {
                session.condemn(owner.classifier().classify(e));
            } finally {
                session.exitCall();
            }
        }
        session.release();
    }

    /**
     * A unit inside a unit (the thread's connection is lent already): it joins the outer unit, its commit and
     * its retries, under a savepoint. When the nested work fails, its writes are rolled back to the savepoint and
     * the outer work may catch the failure and go on; when the fault ended the server's transaction, or the
     * savepoint cannot be rolled back to, the outer unit is marked rollback-only instead: it cannot commit.
     * Inside an autocommit unit there is no transaction to nest in: the work just runs.
     */
    static <T> T nested(Session outer, Work<T> work) throws SQLException {
        if (!outer.transactional()) {
            return work.run(outer.wrapper());
        }
        outer.refuseIfRollbackOnly(); // nothing more runs in a transaction that has ended
        // Unguessable: the work may set savepoints of its own, and a name it reused would be the one the server
        // rolls back to (PostgreSQL, SQLite: the latest of that name; MariaDB replaces the earlier one).
        String savepoint = "bulwark_nested_" + outer.enterNested() + "_"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        T result;
        try {
            outer.runOwn("SAVEPOINT " + savepoint);
            try {
                result = work.run(outer.wrapper());
            } catch (SQLException failure) {
                SQLException seen = outer.fromWork(failure); // classified: a fault that ended the transaction marks it
                rollbackToSavepoint(outer, savepoint, seen);
                throw seen;
            } catch (RuntimeException | Error failure) {
                rollbackToSavepoint(outer, savepoint, failure);
                throw failure;
            }
            outer.runOwn("RELEASE SAVEPOINT " + savepoint); // its work stays part of the outer unit
        } finally {
            outer.leaveNested();
        }
        return result;
    }

    /**
     * The nested unit failed with {@code failure}: its work is rolled back to its savepoint, so the outer unit
     * may go on. A fault inside it that marked the unit rollback-only is forgiven only when the server accepts
     * the rollback to the savepoint (the transaction survived: PostgreSQL after a deadlock or NOWAIT failure);
     * when the transaction ended (an InnoDB deadlock takes the savepoint with it), the connection is gone, or
     * the savepoint cannot be used, the outer unit is (or stays) rollback-only; what went wrong is added to
     * {@code failure} as suppressed.
     */
    private static void rollbackToSavepoint(Session outer, String savepoint, Throwable failure) {
        if (outer.evictingFault() != null) {
            return; // the connection is gone, and the transaction with it
        }
        try {
            outer.runOwn("ROLLBACK TO SAVEPOINT " + savepoint);
            outer.forgiveRollbackOnly(); // the mark, if any, came from inside this nested unit (see nested)
            outer.runOwn("RELEASE SAVEPOINT " + savepoint);
        } catch (SQLException e) {
            failure.addSuppressed(e);
            outer.markRollbackOnly(e);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            outer.markRollbackOnly(new SQLNonTransientException("rollback to the savepoint failed", "25000", e));
        }
    }

    /** Opens the transaction; a read-only one is read-only on the server, whatever the driver does. */
    private void begin(Connection c, ServerFamily family) throws SQLException {
        if (owner.isSqlite()) {
            try (Statement s = c.createStatement()) {
                if (options.readOnly()) {
                    s.execute("PRAGMA query_only = ON");
                    s.execute("BEGIN");
                } else {
                    // A writer takes the write lock up front: a deferred transaction that later upgrades fails
                    // with SQLITE_BUSY at once, whatever busy_timeout says.
                    s.execute("BEGIN IMMEDIATE");
                }
            }
            return;
        }
        if (options.isolation().isPresent()) {
            c.setTransactionIsolation(options.isolation().getAsInt());
        }
        c.setAutoCommit(false);
        if (options.readOnly()) {
            c.setReadOnly(true); // so that isReadOnly() tells the work the truth; not relied upon
            switch (family) {
                case POSTGRES -> execute(c, "SET TRANSACTION READ ONLY"); // pgjdbc sends BEGIN with it
                case MYSQL -> execute(c, "START TRANSACTION READ ONLY"); // Connector/J's setReadOnly does not
                default -> {
                    // the driver's setReadOnly is all there is: the lost commit of this unit is resolved
                }
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void commit(Session session, long deadline, ServerFamily family) throws SQLException {
        Connection c = session.physical();
        long phaseEnds = owner.commitPhaseEnds(deadline);
        session.applyCommitTimeout(phaseEnds); // before the resolver's query too: the work may have used up the deadline
        // Watched to the end of the commit's share of the phase (the rest is the resolution's).
        session.enterCallFor(owner.commitNetworkMillis(phaseEnds) * 1_000_000L);
        try {
            commitWatched(session, c, phaseEnds, family);
        } finally {
            session.exitCall();
        }
    }

    private void commitWatched(Session session, Connection c, long phaseEnds, ServerFamily family)
            throws SQLException {
        // A read-only unit the server enforces changed nothing: its lost commit needs no resolution.
        if (family == ServerFamily.POSTGRES && SqlExceptions.pgjdbc() && PgTransactionState.failed(c)) {
            // The work caught an error and went on: PostgreSQL aborted the transaction, and would answer the
            // COMMIT with ROLLBACK, which pgjdbc's commit() does not report: the unit would read as committed.
            throw new SQLNonTransientException(owner.name() + ": the server aborted the unit's transaction after "
                    + "an error the work went on from; the unit is rolled back, not committed (roll back to a "
                    + "savepoint to go on after an error)", "25000");
        }
        boolean rerunnable = options.readOnly() && family.enforcesReadOnly();
        CommitResolver resolver = rerunnable ? null : owner.resolver();
        CommitToken token = resolver == null ? null : resolver.prepare(c);
        try {
            if (owner.isSqlite()) {
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
            } else {
                c.commit();
            }
        } catch (SQLException e) {
            SQLException failure = session.onException(e, session.wrapper());
            Fault fault = owner.classifier().classify(failure);
            if (!LostCommit.inFlight(fault)) {
                throw failure; // the server answered: it rolled back (serialization failure, constraint, ...)
            }
            session.exitCall(); // resolution runs on other connections, within its own budget
            session.evictNow(fault); // frees its pool slot: resolution needs a fresh connection
            resolveOrThrow(rerunnable, resolver, token, failure, phaseEnds);
        }
    }

    /** Returns normally only when the lost commit is known to have happened; otherwise throws what it means. */
    private void resolveOrThrow(boolean rerunnable, CommitResolver resolver, CommitToken token,
                                SQLException failure, long phaseEnds) throws SQLException {
        if (rerunnable) {
            // A transaction the server kept read-only changed nothing: running it again is always safe.
            throw new SQLTransientConnectionException(owner.name() + ": connection lost during the COMMIT of a "
                    + "read-only unit; it will be run again", "08006", failure);
        }
        if (token == null) {
            throw unknown("commit resolution is off", failure);
        }
        // What is left of the commit phase (see ResilientDataSource.commitPhaseEnds): the unit returns by its
        // deadline plus the grace.
        Duration budget = Duration.ofNanos(Math.max(0, phaseEnds - System.nanoTime()));
        Resolution resolution = LostCommit.resolve(owner, resolver, token, failure, budget);
        if (resolution.outcome() == CommitOutcome.COMMITTED) {
            return;
        }
        if (resolution.outcome() == CommitOutcome.NOT_COMMITTED) {
            throw SqlExceptions.notCommitted(owner.name(), failure);
        }
        throw unknown(resolution.detail(), failure);
    }

    private SQLException unknown(String detail, SQLException failure) {
        if (options.idempotent()) {
            // The work declared that running it twice is the same as once: retrying is safe.
            return new SQLTransientConnectionException(owner.name() + ": commit outcome unknown (" + detail
                    + "); the unit is idempotent and will be run again", "08006", failure);
        }
        return SqlExceptions.resolutionUnknown(owner.name(), detail, failure);
    }

    private void abandon(Session session, ConnectionState saved, Throwable root) {
        session.endLending();
        if (session.evictingFault() == null && saved != null) {
            session.enterRollbackCall();
            try {
                session.applyRollbackTimeout();
                rollback(session.physical());
            } catch (SQLException | RuntimeException e) {
                session.exitCall();
                root.addSuppressed(e); // never let the rollback's failure replace the root cause
                // The transaction's state is unknown (on SQLite it may still hold the write lock, which the
                // pool cannot see): this connection must not be lent again. Nor may it be restored:
                // setAutoCommit(true) would commit the transaction the rollback failed to end.
                session.condemn(owner.classifier().classify(e));
                session.release();
                return;
            }
            try {
                restore(session.physical(), saved);
            } catch (SQLException | RuntimeException e) {
                root.addSuppressed(e);
                session.condemn(owner.classifier().classify(e));
            } finally {
                session.exitCall();
            }
        }
        session.release();
    }

    private void rollback(Connection c) throws SQLException {
        if (owner.isSqlite()) {
            try (Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            }
        } else {
            c.rollback();
        }
    }

    private void restore(Connection c, ConnectionState saved) throws SQLException {
        if (saved == null) {
            return;
        }
        if (owner.isSqlite()) {
            if (options.readOnly()) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = OFF");
                }
            }
            return;
        }
        if (saved.driverReadOnly()) {
            c.setReadOnly(false);
        }
        c.setAutoCommit(true);
        if (saved.isolation() >= 0) {
            c.setTransactionIsolation(saved.isolation());
        }
    }

    /** What {@link #begin} changed; present only once the transaction was opened. */
    private record ConnectionState(int isolation, boolean driverReadOnly) {
    }
}
