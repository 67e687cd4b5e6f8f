package dev.bulwark.core;

/**
 * How much of the work may be run again after a {@link Fault}.
 */
public enum RetryScope {
    /** Must not be retried by Bulwark. */
    NONE,
    /** The whole unit of work may be run again, from a fresh transaction (on a new connection if evicted). */
    UNIT,
    /**
     * The outcome must be resolved first (did the commit land?); the unit may be run again only when
     * it is known not to have committed.
     */
    AFTER_RESOLUTION
}
