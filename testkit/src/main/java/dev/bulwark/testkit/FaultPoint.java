package dev.bulwark.testkit;

/**
 * Where a {@link ChaosDataSource} may inject a fault.
 *
 * <p>Immutable and thread-safe.
 */
public enum FaultPoint {
    /** {@code DataSource.getConnection()} and {@code getConnection(user, password)}. */
    ACQUIRE,
    /**
     * {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate},
     * {@code executeBatch} and {@code executeLargeBatch} of a Statement, PreparedStatement or
     * CallableStatement. {@code addBatch} and the other statement methods are not fault points.
     */
    EXECUTE,
    /**
     * An explicit {@code Connection.commit()}. Commits that a driver performs implicitly
     * (autocommit mode, {@code setAutoCommit(true)}) are not intercepted.
     */
    COMMIT
}
