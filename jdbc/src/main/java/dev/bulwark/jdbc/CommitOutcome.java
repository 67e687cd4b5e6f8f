package dev.bulwark.jdbc;

/**
 * What Bulwark found out about a commit whose acknowledgement was lost.
 *
 * <p>Immutable and thread-safe, like every enum.
 */
public enum CommitOutcome {
    /** The transaction committed: its effects are durable and visible. */
    COMMITTED,
    /** The transaction did not commit and can no longer commit: retrying the unit is safe. */
    NOT_COMMITTED,
    /** Bulwark could not decide within its budget; surfaced as SQLState 08007. */
    UNKNOWN
}
