package dev.bulwark.jdbc.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitToken;
import dev.bulwark.jdbc.internal.resolve.Resolution;
import dev.bulwark.jdbc.internal.wrapper.ConnectionWrapper;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks.SqlAction;
import dev.bulwark.jdbc.internal.wrapper.Wrappers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A COMMIT whose acknowledgement was lost: asks the data source's resolver what happened, for a unit's
 * commit and for a plain {@code commit()} alike. Stateless.
 */
final class LostCommit {

    private static final Logger LOG = LoggerFactory.getLogger(LostCommit.class);

    /**
     * For resolution's own connections: a pool's or driver's unchecked exception from {@code close()} after the
     * answer was read must not throw that answer away.
     */
    private static final JdbcHooks QUIET_CLOSE = new JdbcHooks() {
        @Override
        public void aroundBoundary(ConnectionWrapper connection, Boundary boundary, SqlAction action)
                throws SQLException {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (boundary != Boundary.CLOSE) {
                    throw e;
                }
                LOG.debug("closing a commit-resolution connection failed: {}", e.toString());
            }
        }
    };

    private LostCommit() {
    }

    /** Whether a COMMIT that failed with {@code fault} may have reached the server: its outcome is unknown. */
    static boolean inFlight(Fault fault) {
        return fault.kind() == FaultKind.CONNECTION || fault.kind() == FaultKind.TIMEOUT
                || fault.kind() == FaultKind.AMBIGUOUS_COMMIT;
    }

    /**
     * Resolves the lost commit within {@code budget}. Returns the outcome (null when there was nothing to
     * resolve with: resolution is off, or was not set up); the failures met while resolving are added to
     * {@code failure} as suppressed.
     */
    static Resolution resolve(ResilientDataSource owner, CommitResolver resolver, CommitToken token,
                              SQLException failure, Duration budget) {
        if (resolver == null || token == null) {
            return null;
        }
        long ends = System.nanoTime() + budget.toNanos();
        Resolution resolution;
        try {
            resolution = resolver.resolve(token, () -> Wrappers.wrap(owner.acquireForResolution(ends), QUIET_CLOSE),
                    budget);
        } catch (RuntimeException e) {
            // Whatever went wrong while asking, the commit may have happened: unknown, never "failed".
            failure.addSuppressed(e);
            resolution = new Resolution(CommitOutcome.UNKNOWN, "resolution failed (" + e.getClass().getSimpleName()
                    + ")", List.of());
        }
        resolution.failures().forEach(failure::addSuppressed);
        owner.onCommitResolved(resolution);
        return resolution;
    }

    /**
     * A plain {@code commit()} of the application's own transaction on {@code session}'s connection (not in
     * autocommit mode). The resolution token is recorded first; when the acknowledgement is lost, the commit is
     * resolved like a unit's ({@link #settlePlain}). Never an error that invites running a committed
     * transaction again.
     */
    static void commitPlain(ResilientDataSource owner, Session session, SqlAction commit) throws SQLException {
        Connection physical = session.physical();
        // A read-only transaction (Spring's readOnly = true) cannot write a ledger marker, and has nothing to
        // resolve: its lost commit is reported unknown rather than failing every commit.
        boolean readOnlyTransaction;
        try {
            readOnlyTransaction = physical.isReadOnly();
        } catch (SQLException e) {
            throw session.onException(e, session.wrapper()); // the COMMIT was not sent
        }
        CommitResolver resolver = readOnlyTransaction ? null : owner.resolver();
        CommitToken token = null;
        SQLException unprepared = null;
        if (resolver != null) {
            try {
                token = resolver.prepare(physical);
            } catch (SQLException e) {
                SQLException seen = session.onException(e, session.wrapper());
                if (session.evictingFault() != null) {
                    throw seen; // the connection is gone before COMMIT was sent: the server rolls back
                }
                // The server answered (e.g. the transaction failed earlier): the COMMIT goes ahead and the
                // driver reports what it does; were it lost, it is reported unknown.
                unprepared = seen;
            }
        }
        try {
            commit.run();
        } catch (SQLException e) {
            Fault fault = owner.classifier().classify(e);
            if (!inFlight(fault)) {
                throw e; // the server answered: it did not commit
            }
            if (unprepared != null) {
                e.addSuppressed(unprepared);
            }
            session.exitCall(); // resolution runs on other connections, within its own budget
            session.evictNow(fault); // frees its pool slot: resolution needs a fresh connection
            settlePlain(owner, resolver, token, e);
        }
    }

    /**
     * For a plain {@code commit()}: returns normally when the commit is known to have happened; throws 08006
     * when it is known not to have happened (the transaction was rolled back: running it again is safe), and
     * 08007 otherwise.
     */
    static void settlePlain(ResilientDataSource owner, CommitResolver resolver, CommitToken token,
                            SQLException failure) throws SQLException {
        Resolution resolution = resolve(owner, resolver, token, failure, owner.plainCommitResolutionBudget());
        if (resolution == null) {
            throw SqlExceptions.resolutionUnknown(owner.name(), "commit resolution is off or not set up", failure);
        }
        if (resolution.outcome() == CommitOutcome.COMMITTED) {
            return;
        }
        if (resolution.outcome() == CommitOutcome.NOT_COMMITTED) {
            throw SqlExceptions.plainNotCommitted(owner.name(), failure);
        }
        throw SqlExceptions.resolutionUnknown(owner.name(), resolution.detail(), failure);
    }
}
