package dev.bulwark.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A DataSource that survives database faults: every failure is classified, only what is safe is
 * retried inside a deadline, a circuit breaker fails fast while the database is down, and broken
 * connections are evicted from the pool. Obtain one with {@code Bulwark.wrap(dataSource[, config])}.
 *
 * <p>Units of work run, from outside in:
 * <pre>
 * Deadline ⊃ Retry(backoff + jitter, retryable kinds only) ⊃ CircuitBreaker ⊃ Bulkhead ⊃ RateLimiter
 *   ⊃ attempt: fresh connection, begin, work, commit (a lost commit acknowledgement is resolved)
 * </pre>
 *
 * <p>Inside a unit, {@link #getConnection()} on the same thread returns the unit's connection, so DAO
 * code written against plain JDBC joins the transaction. Thread-safe.
 */
public interface BulwarkDataSource extends DataSource, AutoCloseable {

    /**
     * Runs {@code work} as one unit of work with {@link TransactionOptions#defaults()}.
     *
     * @throws SQLException the classified failure when the unit could not be completed; SQLState 08007 when
     *                      a commit's outcome could not be resolved; a rejection when the breaker is open
     */
    default <T> T inTransaction(Work<T> work) throws SQLException {
        return inTransaction(TransactionOptions.defaults(), work);
    }

    /**
     * Runs {@code work} as one unit of work: each attempt in a fresh transaction on a fresh connection,
     * rolled back on failure, retried whole for transient, connection and read-only faults within the
     * deadline, committed at the end. Called inside another unit on the same thread, it joins that unit
     * (no own commit, no own retry).
     *
     * @throws SQLException as {@link #inTransaction(Work)}
     */
    <T> T inTransaction(TransactionOptions options, Work<T> work) throws SQLException;

    /**
     * Runs {@code work} on one connection in autocommit mode under the deadline and the circuit breaker.
     * It is retried only when {@code options.idempotent()} is set, since autocommit work may already have
     * changed the database when it fails.
     *
     * @throws SQLException as {@link #inTransaction(Work)}
     */
    <T> T inAutoCommit(TransactionOptions options, Work<T> work) throws SQLException;

    /**
     * Runs {@code work}, which returns nothing, as one unit of work with {@link TransactionOptions#defaults()}:
     * {@code db.useTransaction(c -> transfer(c, from, to, amount))}.
     *
     * @throws SQLException as {@link #inTransaction(Work)}
     */
    default void useTransaction(VoidWork work) throws SQLException {
        useTransaction(TransactionOptions.defaults(), work);
    }

    /**
     * Runs {@code work}, which returns nothing, as one unit of work, exactly as
     * {@link #inTransaction(TransactionOptions, Work)} does.
     *
     * @throws SQLException as {@link #inTransaction(Work)}
     * @throws NullPointerException if {@code work} is null
     */
    default void useTransaction(TransactionOptions options, VoidWork work) throws SQLException {
        Objects.requireNonNull(work, "work");
        inTransaction(options, c -> {
            work.run(c);
            return null;
        });
    }

    /**
     * Runs {@code work}, which returns nothing, on one connection in autocommit mode, exactly as
     * {@link #inAutoCommit(TransactionOptions, Work)} does (retried only when {@code options.idempotent()}).
     *
     * @throws SQLException as {@link #inTransaction(Work)}
     * @throws NullPointerException if {@code work} is null
     */
    default void useAutoCommit(TransactionOptions options, VoidWork work) throws SQLException {
        Objects.requireNonNull(work, "work");
        inAutoCommit(options, c -> {
            work.run(c);
            return null;
        });
    }

    /**
     * A connection: inside a unit of work on this thread, the unit's own (its close does nothing, and it
     * refuses commit, rollback and autocommit changes); otherwise a new one acquired under the breaker and
     * retry policy, with failures classified and broken connections evicted.
     */
    @Override
    Connection getConnection() throws SQLException;

    /** The current health: connectivity, breaker and pool. Never throws; probes under a short timeout. */
    Health health();

    /** This data source's name, used in logs, events and metrics. */
    String name();

    /**
     * Stops this data source's own background threads (the watchdog that aborts calls past their deadline,
     * the probe of a database that stopped answering). The wrapped DataSource is not closed: it belongs to the
     * caller. Connections borrowed afterwards still work, bounded by their socket timeouts only. Idempotent;
     * both threads also end on their own while idle, so an unclosed data source holds none for long.
     */
    @Override
    void close();
}
