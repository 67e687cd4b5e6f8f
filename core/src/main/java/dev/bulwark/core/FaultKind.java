package dev.bulwark.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * What went wrong with a database call, decided from SQLState and vendor codes (never message text).
 *
 * <p>The same kind drives retry, circuit-breaker counting and connection eviction, so the three never
 * disagree. See {@code docs/faults.md} for the rules of each dialect.
 */
public enum FaultKind {
    /** Serialization failure, deadlock, lock not available, SQLite busy: roll back and retry the whole unit. */
    TRANSIENT,
    /** The connection is broken or was never made: evict it and retry on a new one. */
    CONNECTION,
    /** The connection was lost while a commit (or autocommit write) was in flight: the outcome is unknown. */
    AMBIGUOUS_COMMIT,
    /** Connected to a read-only server, typically a demoted primary after failover: evict and retry. */
    READ_ONLY,
    /** The server is out of connections, memory or similar: retry with longer backoff. */
    RESOURCE,
    /** The server's disk (or SQLite's page limit) is full: not retried. */
    STORAGE_FULL,
    /** A deadline, statement timeout or pool acquire timeout expired: retried only within the remaining budget. */
    TIMEOUT,
    /** An integrity constraint was violated: never retried, never counted by the breaker. */
    CONSTRAINT,
    /** Authentication or authorisation failed: never retried. */
    PERMISSION,
    /** The statement is wrong (syntax, undefined object, bad data): never retried. */
    PROGRAMMING,
    /** The database reports corrupted data or files: never retried, reported loudly. */
    CORRUPTION,
    /** Bulwark itself refused the call (circuit open, bulkhead full, rate limited): fail fast. */
    REJECTED,
    /** Anything not recognised: not retried unless the user's rules say so. */
    UNKNOWN;

    private static final Set<FaultKind> BREAKER = EnumSet.of(
            CONNECTION, RESOURCE, STORAGE_FULL, TIMEOUT, AMBIGUOUS_COMMIT, READ_ONLY);
    private static final Set<FaultKind> EVICTING = EnumSet.of(CONNECTION, READ_ONLY, AMBIGUOUS_COMMIT);

    /** Whether a failure of this kind counts toward opening the circuit breaker (database health). */
    public boolean countsTowardBreaker() {
        return BREAKER.contains(this);
    }

    /** Whether the connection that raised a failure of this kind must be evicted from the pool. */
    public boolean evictsConnection() {
        return EVICTING.contains(this);
    }
}
