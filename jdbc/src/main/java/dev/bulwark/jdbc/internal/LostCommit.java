package dev.bulwark.jdbc.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.internal.resolve.CommitResolver;
import dev.bulwark.jdbc.internal.resolve.CommitToken;
import dev.bulwark.jdbc.internal.resolve.Resolution;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A COMMIT whose acknowledgement was lost: asks the data source's resolver what happened, for a unit's
 * commit and for a plain {@code commit()} alike. Stateless.
 */
final class LostCommit {

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
        Resolution resolution = resolver.resolve(token, () -> owner.acquireForResolution(ends), budget);
        resolution.failures().forEach(failure::addSuppressed);
        owner.onCommitResolved(resolution);
        return resolution;
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
