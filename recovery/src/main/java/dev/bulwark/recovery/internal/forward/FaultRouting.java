package dev.bulwark.recovery.internal.forward;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.Rejection;
import java.sql.SQLException;

/** Which failures of a unit of work mean "the database is unavailable" and which mean "this write is bad". */
public final class FaultRouting {

    private FaultRouting() {
    }

    /**
     * Whether the write should be buffered (or, at replay, retried later): Bulwark refused the call (breaker
     * open, bulkhead full, rate limited), or the fault is one that counts toward the breaker (connection,
     * timeout, resource, storage full, read-only, an ambiguous commit). These say nothing against the write
     * itself.
     */
    public static boolean databaseUnavailable(SQLException failure, Fault fault) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Rejection) {
                return true;
            }
        }
        return fault.kind() == FaultKind.REJECTED || fault.kind().countsTowardBreaker();
    }

    /**
     * Whether the write would fail the same way every time: a constraint violation or a programming error
     * (bad SQL, wrong types, a missing column). Such a write is never buffered and is dead-lettered at replay.
     * Everything else at replay (a permission, a deadlock after retries, an unknown fault) is retried later.
     */
    public static boolean wouldFailAgain(Fault fault) {
        return fault.kind() == FaultKind.CONSTRAINT || fault.kind() == FaultKind.PROGRAMMING;
    }
}
