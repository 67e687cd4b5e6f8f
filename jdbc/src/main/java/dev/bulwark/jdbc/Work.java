package dev.bulwark.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The body of a unit of work: runs on the connection the unit lends it and returns a result.
 *
 * <p>It may run more than once (each attempt in a fresh transaction), so it must not keep side effects
 * outside the database between attempts. It must not commit, roll back, change autocommit or close
 * the connection: the unit owns those boundaries and the lent connection refuses them.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Work<T> {

    /**
     * Runs the work.
     *
     * @throws SQLException to fail the attempt; Bulwark classifies it and decides whether to retry
     */
    T run(Connection connection) throws SQLException;
}
