package dev.bulwark.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The body of a unit of work that returns nothing, for {@link BulwarkDataSource#useTransaction(VoidWork)} and
 * {@link BulwarkDataSource#useAutoCommit(TransactionOptions, VoidWork)}.
 *
 * <p>The same rules as {@link Work} apply: it may run more than once (each attempt in a fresh transaction), so it
 * must not keep side effects outside the database between attempts, and it must not commit, roll back, change
 * autocommit or close the connection.
 *
 * <p>It is a type of its own, used by methods of their own name, rather than an overload of
 * {@code inTransaction}: javac cannot choose between two overloads for an implicitly typed lambda whose body
 * is a method call ({@code c -> insert(c)}), so an overload would make such calls ambiguous.
 */
@FunctionalInterface
public interface VoidWork {

    /**
     * Runs the work.
     *
     * @throws SQLException to fail the attempt; Bulwark classifies it and decides whether to retry
     */
    void run(Connection connection) throws SQLException;
}
