package dev.bulwark.jdbc.internal.wrapper;

/**
 * Marks the closed sentinels ({@link ClosedConnection}, {@link ClosedStatement}, {@link ClosedResultSet}):
 * stateless objects a wrapper swaps in as its delegate when it is closed. Never handed to applications.
 */
interface ClosedSentinel {
}
