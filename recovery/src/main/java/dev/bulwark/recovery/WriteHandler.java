package dev.bulwark.recovery;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Applies an application's write on a connection inside a unit of work that {@link StoreAndForward} opened.
 *
 * <p>It must not commit, roll back or close the connection (the unit owns them), and it may run more than
 * once per write, each time in a fresh transaction that is rolled back unless it commits; exactly one run
 * commits. Implementations must be thread-safe.
 *
 * @param <T> the application's write type
 */
@FunctionalInterface
public interface WriteHandler<T> {

    /**
     * Applies the write.
     *
     * @throws SQLException to fail the attempt; it is classified: a constraint violation or a programming error
     *                      is not buffered (and is dead-lettered at replay), a connection fault is
     */
    void apply(Connection connection, T write) throws SQLException;
}
