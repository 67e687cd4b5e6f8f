package dev.bulwark.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Sees every statement sent through a Bulwark connection just before it runs, and may refuse it by
 * throwing. Register with {@link Bulwark.Builder#withStatementObserver}; without observers nothing is
 * called and statements cost nothing extra.
 *
 * <pre>{@code
 * BulwarkDataSource db = Bulwark.builder(hikari)
 *         .withStatementObserver((connection, sql) -> audit.log(sql))
 *         .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe: every connection of the DataSource calls the same observer,
 * each from the thread using that connection.
 */
@FunctionalInterface
public interface StatementObserver {

    /**
     * Called before a statement runs, on the thread running it.
     *
     * @param connection the physical connection (beneath Bulwark) the statement is about to run on, inside
     *                   the same transaction; an observer may read through it but must leave its
     *                   transaction state, auto-commit mode, isolation and read-only flag as it found them
     * @param sql        the SQL text; {@code null} for a batch of {@code Statement.addBatch(String)} entries,
     *                   whose texts are not recorded
     * @throws SQLException to refuse the statement: it is then not run, and the exception reaches the caller
     *                      unchanged
     */
    void beforeExecute(Connection connection, String sql) throws SQLException;
}
