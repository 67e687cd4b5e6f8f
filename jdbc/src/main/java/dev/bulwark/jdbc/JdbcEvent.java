package dev.bulwark.jdbc;

import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.FaultKind;
import java.time.Duration;

/**
 * Events of the JDBC layer, delivered to the {@link dev.bulwark.core.BulwarkListener}s given to
 * {@code Bulwark.wrap}. The policy events (retries, breaker transitions, rejections) are core's
 * {@link dev.bulwark.core.PolicyEvent}s. Immutable values.
 */
public sealed interface JdbcEvent extends BulwarkEvent {

    /**
     * The data source was built with this listener; it comes before every other event of the data source, so a
     * listener can set itself up (a metrics binder registers its meters at zero).
     */
    record DataSourceCreated(String source) implements JdbcEvent {
    }

    /** A connection was removed from the pool because of a fault of {@code kind}. */
    record ConnectionEvicted(String source, FaultKind kind, String sqlState) implements JdbcEvent {
    }

    /** Every pooled connection was marked for eviction (a read-only fault suggests a failover). */
    record PoolEvicted(String source, FaultKind kind) implements JdbcEvent {
    }

    /** A commit whose acknowledgement was lost was resolved (or not) to {@code outcome}. */
    record CommitResolved(String source, CommitOutcome outcome, String detail) implements JdbcEvent {
    }

    /** A statement took at least the slow-statement threshold. The SQL text is never part of the event. */
    record SlowStatement(String source, String execution, Duration elapsed) implements JdbcEvent {
    }
}
