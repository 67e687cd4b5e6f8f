package dev.bulwark.spring;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.spring.internal.SpringUnit;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Bulwark's units of work for Spring code, in the shape of Spring's {@code TransactionTemplate}: the callback
 * runs in a transaction that Bulwark begins and commits, and is run again whole, on a fresh connection and a
 * fresh transaction, after a fault that allows it (serialization failure, deadlock, lost connection, a
 * demoted primary), within the deadline; a commit whose acknowledgement was lost is resolved, never blindly
 * replayed.
 *
 * <pre>{@code
 * long id = transactions.execute(() -> {
 *     jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
 *     jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
 *     return jdbc.queryForObject("SELECT balance FROM account WHERE id = ?", Long.class, from);
 * });
 * }</pre>
 *
 * <p>Inside the callback, {@code JdbcTemplate} calls on the same DataSource use the unit's connection, and
 * a method with Spring's {@code @Transactional} (propagation REQUIRED, SUPPORTS or MANDATORY) joins the unit
 * rather than committing on its own. Spring's transaction synchronization is active in the callback: an
 * {@code afterCommit} callback (or {@code @TransactionalEventListener}) registered in it runs once, after the
 * unit committed, never for an attempt that failed or was run again. A method with {@code REQUIRES_NEW} or
 * {@code NOT_SUPPORTED} inside the callback gets the unit's own connection, whose commit is refused: it fails,
 * and the unit is rolled back ({@code IllegalTransactionStateException}) even if the callback catches that
 * failure. The callback may run more than once: it must keep no side effects
 * outside the database between attempts. Started inside a Spring-managed transaction on the same DataSource,
 * it is refused with {@code IllegalTransactionStateException}: Bulwark cannot retry a transaction it did not
 * begin.
 *
 * <p>Failures are Spring's {@link DataAccessException}s, translated from Bulwark's classified
 * {@link SQLException} (its SQLState kept: 08007 when a commit's outcome stayed unknown, 08000-class when the
 * breaker is open); exceptions of the callback's own pass through as themselves. Thread-safe.
 */
public final class BulwarkTransactions {

    private final BulwarkDataSource dataSource;
    private final SQLExceptionTranslator translator;
    private final TransactionOptions defaults;

    /**
     * Units on {@code dataSource} with {@link TransactionOptions#defaults()}.
     *
     * @throws NullPointerException if {@code dataSource} is null
     */
    public BulwarkTransactions(BulwarkDataSource dataSource) {
        this(dataSource, TransactionOptions.defaults());
    }

    /**
     * Units on {@code dataSource} with {@code defaults} when a call gives no options of its own.
     *
     * @throws NullPointerException if an argument is null
     */
    public BulwarkTransactions(BulwarkDataSource dataSource, TransactionOptions defaults) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.translator = new SQLExceptionSubclassTranslator();
    }

    /** The data source the units run on. */
    public BulwarkDataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code action} as one unit of work with this bean's default options and returns its result.
     *
     * @throws DataAccessException when the unit could not be completed (see the class comment)
     */
    public <T> T execute(Supplier<T> action) {
        return execute(defaults, action);
    }

    /**
     * Runs {@code action} as one unit of work with {@code options} (isolation, read-only, deadline, attempts,
     * idempotent) and returns its result.
     *
     * @throws DataAccessException when the unit could not be completed (see the class comment)
     */
    public <T> T execute(TransactionOptions options, Supplier<T> action) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(action, "action");
        try {
            return SpringUnit.run(dataSource, options, true, action::get);
        } catch (SQLException e) {
            throw translate(e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible); // a Supplier throws nothing checked
        }
    }

    /**
     * Runs {@code action}, which returns nothing, as one unit of work with this bean's default options.
     *
     * @throws DataAccessException when the unit could not be completed (see the class comment)
     */
    public void executeWithoutResult(Runnable action) {
        executeWithoutResult(defaults, action);
    }

    /**
     * Runs {@code action}, which returns nothing, as one unit of work with {@code options}.
     *
     * @throws DataAccessException when the unit could not be completed (see the class comment)
     */
    public void executeWithoutResult(TransactionOptions options, Runnable action) {
        Objects.requireNonNull(action, "action");
        execute(options, () -> {
            action.run();
            return null;
        });
    }

    /** Spring's exception for a failure of a unit, with Bulwark's classified SQLException as its cause. */
    public DataAccessException translate(SQLException failure) {
        DataAccessException translated = translator.translate("Bulwark unit of work on " + dataSource.name(),
                null, failure);
        return translated != null ? translated
                : new UncategorizedSQLException("Bulwark unit of work on " + dataSource.name(), null, failure);
    }
}
