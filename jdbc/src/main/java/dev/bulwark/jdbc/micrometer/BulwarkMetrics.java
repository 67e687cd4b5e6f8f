package dev.bulwark.jdbc.micrometer;

import dev.bulwark.core.BreakerState;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.JdbcEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns Bulwark's events into Micrometer meters. Register it as a listener when wrapping:
 *
 * <pre>{@code
 * BulwarkMetrics metrics = new BulwarkMetrics(registry);
 * BulwarkDataSource db = Bulwark.builder(hikari).withListener(metrics).build();
 * }</pre>
 *
 * <p>Meters, each tagged with {@code source} (the data source's name):
 * <ul>
 *   <li>{@code bulwark.retries} (tag {@code kind}): retries scheduled;</li>
 *   <li>{@code bulwark.retries.exhausted} (tag {@code limit}) and {@code bulwark.retries.budget.exhausted};</li>
 *   <li>{@code bulwark.rejections} (tag {@code policy}): calls refused by the breaker, bulkhead or rate limiter;</li>
 *   <li>{@code bulwark.breaker.transitions} (tag {@code to}) and the gauge {@code bulwark.breaker.state}
 *       (0 closed or disabled, 1 half-open, 2 open), kept from transitions, so a scrape never touches the
 *       database;</li>
 *   <li>{@code bulwark.evictions} (tag {@code kind}), {@code bulwark.pool.evictions};</li>
 *   <li>{@code bulwark.commits.resolved} (tag {@code outcome});</li>
 *   <li>{@code bulwark.statements.slow}.</li>
 * </ul>
 * Every meter exists, counters at zero, from the moment a data source is built with this listener (its
 * {@link JdbcEvent.DataSourceCreated} event): one series per value of its tag (every {@link FaultKind} for
 * {@code bulwark.retries}, the evicting kinds for {@code bulwark.evictions}, every {@link CommitOutcome},
 * {@link BreakerState}, {@link PolicyEvent.RejectedBy} and {@link PolicyEvent.RetryLimit}), so a healthy service
 * exports its breaker gauge and an {@code increase()} alert sees the first increment.
 * Alert on {@code bulwark.breaker.state == 2}, on a rising {@code bulwark.commits.resolved{outcome=UNKNOWN}},
 * and on {@code bulwark.retries.budget.exhausted}. Thread-safe; one instance may serve several data sources.
 */
public final class BulwarkMetrics implements BulwarkListener {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();

    /**
     * Creates the binder.
     *
     * @throws NullPointerException if {@code registry} is null
     */
    public BulwarkMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onEvent(BulwarkEvent event) {
        String source = event.source();
        breakerState(source); // the gauge exists from the first event on, even of a source built elsewhere
        if (event instanceof JdbcEvent.DataSourceCreated) {
            registerAtZero(source);
        } else if (event instanceof PolicyEvent.RetryScheduled e) {
            count("bulwark.retries", source, "kind", e.fault().kind().name());
        } else if (event instanceof PolicyEvent.RetriesExhausted e) {
            count("bulwark.retries.exhausted", source, "limit", e.limit().name());
        } else if (event instanceof PolicyEvent.RetryBudgetExhausted) {
            count("bulwark.retries.budget.exhausted", source, null, null);
        } else if (event instanceof PolicyEvent.CallRejected e) {
            count("bulwark.rejections", source, "policy", e.rejectedBy().name());
        } else if (event instanceof PolicyEvent.BreakerTransition e) {
            count("bulwark.breaker.transitions", source, "to", e.to().name());
            breakerState(source).set(code(e.to()));
        } else if (event instanceof JdbcEvent.ConnectionEvicted e) {
            count("bulwark.evictions", source, "kind", e.kind().name());
        } else if (event instanceof JdbcEvent.PoolEvicted) {
            count("bulwark.pool.evictions", source, null, null);
        } else if (event instanceof JdbcEvent.CommitResolved e) {
            count("bulwark.commits.resolved", source, "outcome", e.outcome().name());
        } else if (event instanceof JdbcEvent.SlowStatement) {
            count("bulwark.statements.slow", source, null, null);
        }
    }

    /** Every counter of {@code source}, one per value of its tag, at zero (registering an existing one is a no-op). */
    private void registerAtZero(String source) {
        for (FaultKind kind : FaultKind.values()) {
            counter("bulwark.retries", source, "kind", kind.name());
            if (kind.evictsConnection()) {
                counter("bulwark.evictions", source, "kind", kind.name());
            }
        }
        for (PolicyEvent.RetryLimit limit : PolicyEvent.RetryLimit.values()) {
            counter("bulwark.retries.exhausted", source, "limit", limit.name());
        }
        counter("bulwark.retries.budget.exhausted", source, null, null);
        for (PolicyEvent.RejectedBy policy : PolicyEvent.RejectedBy.values()) {
            counter("bulwark.rejections", source, "policy", policy.name());
        }
        for (BreakerState to : BreakerState.values()) {
            counter("bulwark.breaker.transitions", source, "to", to.name());
        }
        counter("bulwark.pool.evictions", source, null, null);
        for (CommitOutcome outcome : CommitOutcome.values()) {
            counter("bulwark.commits.resolved", source, "outcome", outcome.name());
        }
        counter("bulwark.statements.slow", source, null, null);
    }

    private void count(String name, String source, String tag, String value) {
        counter(name, source, tag, value).increment();
    }

    private Counter counter(String name, String source, String tag, String value) {
        Counter.Builder b = Counter.builder(name).tag("source", source);
        if (tag != null) {
            b.tag(tag, value);
        }
        return b.register(registry);
    }

    private AtomicInteger breakerState(String source) {
        return breakerStates.computeIfAbsent(source, s -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder("bulwark.breaker.state", state, AtomicInteger::get).tag("source", s)
                    .description("0 closed or disabled, 1 half-open, 2 open").register(registry);
            return state;
        });
    }

    private static int code(BreakerState state) {
        return switch (state) {
            case CLOSED, DISABLED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
