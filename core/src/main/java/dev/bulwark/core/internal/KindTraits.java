package dev.bulwark.core.internal;

import dev.bulwark.core.FaultKind;
import dev.bulwark.core.RetryScope;

/**
 * What each {@link FaultKind} means for retry, side effects and the person reading the fault.
 *
 * <p>{@code mayHaveTakenEffect}: true only where the outcome is unknown (AMBIGUOUS_COMMIT) or nothing is
 * known (UNKNOWN). For CONNECTION it is false: the classifier cannot know whether a COMMIT or an
 * autocommit write was in flight (inside an open transaction the server rolls back a dead session's
 * work); the jdbc layer, which does know, upgrades such a fault to AMBIGUOUS_COMMIT with
 * {@link dev.bulwark.core.Fault#withKind}. Stateless and thread-safe.
 */
public final class KindTraits {

    private KindTraits() {
    }

    /** How much may be run again after a fault of {@code kind}. */
    public static RetryScope retryScope(FaultKind kind) {
        return switch (kind) {
            case TRANSIENT, CONNECTION, READ_ONLY, RESOURCE, TIMEOUT -> RetryScope.UNIT;
            case AMBIGUOUS_COMMIT -> RetryScope.AFTER_RESOLUTION;
            case STORAGE_FULL, CONSTRAINT, PERMISSION, PROGRAMMING, CORRUPTION, REJECTED, UNKNOWN -> RetryScope.NONE;
        };
    }

    /** Whether the failed operation may nevertheless have changed the database. */
    public static boolean mayHaveTakenEffect(FaultKind kind) {
        return kind == FaultKind.AMBIGUOUS_COMMIT || kind == FaultKind.UNKNOWN;
    }

    /** The start of a fault's one-line message. */
    public static String headline(FaultKind kind) {
        return switch (kind) {
            case TRANSIENT -> "Transient conflict";
            case CONNECTION -> "Database connection failed";
            case AMBIGUOUS_COMMIT -> "Commit outcome unknown";
            case READ_ONLY -> "The database refused a write as read-only";
            case RESOURCE -> "The database is out of resources";
            case STORAGE_FULL -> "The database's storage is full";
            case TIMEOUT -> "The call timed out";
            case CONSTRAINT -> "An integrity constraint was violated";
            case PERMISSION -> "Permission denied";
            case PROGRAMMING -> "The statement is invalid";
            case CORRUPTION -> "The database reports corrupted data";
            case REJECTED -> "Bulwark refused the call";
            case UNKNOWN -> "Unrecognised failure";
        };
    }

    /** What Bulwark does and what a person should do. */
    public static String remedy(FaultKind kind) {
        return switch (kind) {
            case TRANSIENT -> "Bulwark rolls back and retries the unit; if it persists, shorten transactions"
                    + " or lock rows in a consistent order";
            case CONNECTION -> "Bulwark evicts the connection and retries the unit on a new one;"
                    + " check that the database is up and reachable";
            case AMBIGUOUS_COMMIT -> "Bulwark resolves whether the commit landed before any retry;"
                    + " make the work idempotent or check the data";
            case READ_ONLY -> "Bulwark evicts the pool's stale connections and retries on the new primary;"
                    + " check that the URL points at the primary";
            case RESOURCE -> "Bulwark retries with longer backoff; raise the server's limits or shrink the pools";
            case STORAGE_FULL -> "Free disk space on the database server (or raise SQLite's max_page_count);"
                    + " not retried";
            case TIMEOUT -> "Retried only within the remaining deadline; raise the deadline or speed up the statement";
            case CONSTRAINT -> "Fix the data or handle the conflict in the application; not retried";
            case PERMISSION -> "Check the user, password and grants; not retried";
            case PROGRAMMING -> "Fix the statement or the values bound to it; not retried";
            case CORRUPTION -> "Stop writing, check the database's integrity and restore from a verified backup;"
                    + " not retried";
            case REJECTED -> "Wait for the database to recover or lower the load; Bulwark fails fast, no retry";
            case UNKNOWN -> "Not retried; add a rule with Faults.custom().withRule(...) if it should be";
        };
    }
}
