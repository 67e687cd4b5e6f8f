package dev.bulwark.jdbc.internal;

import dev.bulwark.core.AttemptContext;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitToken;
import dev.bulwark.jdbc.internal.resolve.Resolution;
import java.sql.Connection;
import java.sql.SQLException;
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
 * acquire → begin (isolation, read-only; SQLite: BEGIN IMMEDIATE for writers) → work on the lent connection
 *   → record the resolution token → COMMIT under the commit timeout, within the commit phase (deadline + grace)
 *       lost while in flight → resolve: committed → result; not committed → retryable; unknown → 08007
 * any failure → roll back (errors suppressed), evict the connection if its fault calls for it, rethrow
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
        Session session = Session.lent(owner, physical, deadline, !transactional && !options.idempotent());
        ConnectionState saved = null;
        try {
            session.applyDeadline(); // a hung server must not outlive the unit's deadline
            if (transactional) {
                // Recorded before BEGIN, so a BEGIN that fails half-way is still rolled back and restored.
                saved = new ConnectionState(options.isolation().isPresent() ? physical.getTransactionIsolation() : -1);
                begin(physical);
            }
            T result;
            try {
                result = owner.runBound(session, work);
            } catch (SQLException fromWork) {
                throw session.fromWork(fromWork);
            }
            if (transactional) {
                commit(session, deadline);
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
            try {
                restore(session.physical(), saved);
            } catch (SQLException | RuntimeException e) {
                session.condemn(owner.classifier().classify(e));
            }
        }
        session.release();
    }

    /** Opens the transaction. */
    private void begin(Connection c) throws SQLException {
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
            c.setReadOnly(true);
        }
    }

    private void commit(Session session, long deadline) throws SQLException {
        Connection c = session.physical();
        long phaseEnds = owner.commitPhaseEnds(deadline);
        session.applyCommitTimeout(phaseEnds); // before the resolver's query too: the work may have used up the deadline
        CommitResolver resolver = options.readOnly() ? null : owner.resolver();
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
            if (!lostInFlight(fault)) {
                throw failure; // the server answered: it rolled back (serialization failure, constraint, ...)
            }
            session.evictNow(fault); // frees its pool slot: resolution needs a fresh connection
            resolveOrThrow(resolver, token, failure, phaseEnds);
        }
    }

    private static boolean lostInFlight(Fault fault) {
        return fault.kind() == FaultKind.CONNECTION || fault.kind() == FaultKind.TIMEOUT
                || fault.kind() == FaultKind.AMBIGUOUS_COMMIT;
    }

    /** Returns normally only when the lost commit is known to have happened; otherwise throws what it means. */
    private void resolveOrThrow(CommitResolver resolver, CommitToken token, SQLException failure,
                                long phaseEnds) throws SQLException {
        if (options.readOnly()) {
            // A read-only transaction changed nothing: running it again is always safe.
            throw new SQLTransientConnectionException(owner.name() + ": connection lost during the COMMIT of a "
                    + "read-only unit; it will be run again", "08006", failure);
        }
        if (token == null) {
            throw unknown("commit resolution is off", failure);
        }
        // What is left of the commit phase (see ResilientDataSource.commitPhaseEnds): the unit returns by its deadline + the grace.
        Duration budget = Duration.ofNanos(Math.max(0, phaseEnds - System.nanoTime()));
        Resolution resolution = resolver.resolve(token, () -> owner.acquireForResolution(phaseEnds), budget);
        resolution.failures().forEach(failure::addSuppressed);
        owner.onCommitResolved(resolution);
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
            try {
                session.applyRollbackTimeout();
                rollback(session.physical());
            } catch (SQLException | RuntimeException e) {
                root.addSuppressed(e); // never let the rollback's failure replace the root cause
                // The transaction's state is unknown (on SQLite it may still hold the write lock, which the
                // pool cannot see): this connection must not be lent again.
                session.condemn(owner.classifier().classify(e));
            }
            try {
                restore(session.physical(), saved);
            } catch (SQLException | RuntimeException e) {
                root.addSuppressed(e);
                session.condemn(owner.classifier().classify(e));
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
        if (options.readOnly()) {
            c.setReadOnly(false);
        }
        c.setAutoCommit(true);
        if (saved.isolation() >= 0) {
            c.setTransactionIsolation(saved.isolation());
        }
    }

    /** What {@link #begin} changed; present only once the transaction was opened. */
    private record ConnectionState(int isolation) {
    }
}
