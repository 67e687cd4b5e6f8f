package dev.bulwark.jdbc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.BreakerState;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every meter exists from the moment a data source is built with the binder: a healthy service exports its breaker
 * gauge, and the first {@code commits.resolved{outcome="UNKNOWN"}} is an increase from a series that was at zero.
 */
class BulwarkMetricsAtStartIT {

    @Test
    void everyMeterIsRegisteredAtZeroWhenTheDataSourceIsBuilt() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            BulwarkMetrics metrics = new BulwarkMetrics(registry);
            BulwarkDataSource orders = Bulwark.builder(db.dataSource())
                    .withConfig(BulwarkConfig.builder().withName("orders").build()).withListener(metrics).build();

            // Nothing has run: no connection, no event but the data source's creation.
            assertThat(registry.get("bulwark.breaker.state").tag("source", "orders").gauge().value()).isZero();
            List<String> expected = expectedCounters();
            assertThat(counters(registry, "orders")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(registry.find("bulwark.commits.resolved").tag("source", "orders").counters())
                    .extracting(c -> c.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("COMMITTED", "NOT_COMMITTED", "UNKNOWN");
            assertThat(registry.getMeters()).filteredOn(m -> m instanceof Counter)
                    .allSatisfy(c -> assertThat(((Counter) c).count()).as(c.getId().toString()).isZero());

            // A second data source on the same binder gets its own series; the first keeps its own.
            Bulwark.builder(db.dataSource()).withConfig(BulwarkConfig.builder().withName("billing").build())
                    .withListener(metrics).build();
            assertThat(counters(registry, "billing")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(registry.get("bulwark.breaker.state").tag("source", "billing").gauge().value()).isZero();

            // A healthy unit changes no counter and leaves the gauge at closed.
            orders.useTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
            });
            assertThat(counters(registry, "orders")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(registry.getMeters()).filteredOn(m -> m instanceof Counter)
                    .allSatisfy(c -> assertThat(((Counter) c).count()).isZero());
            assertThat(registry.get("bulwark.breaker.state").tag("source", "orders").gauge().value()).isZero();
        }
    }

    /** Name and tag of each counter the docs promise, from the enums that give the tags their values. */
    private static List<String> expectedCounters() {
        List<String> out = new ArrayList<>();
        for (FaultKind kind : FaultKind.values()) {
            out.add("bulwark.retries{kind=" + kind + "}");
            if (kind == FaultKind.CONNECTION || kind == FaultKind.READ_ONLY || kind == FaultKind.AMBIGUOUS_COMMIT) {
                out.add("bulwark.evictions{kind=" + kind + "}");
            }
        }
        for (PolicyEvent.RetryLimit limit : PolicyEvent.RetryLimit.values()) {
            out.add("bulwark.retries.exhausted{limit=" + limit + "}");
        }
        for (PolicyEvent.RejectedBy policy : PolicyEvent.RejectedBy.values()) {
            out.add("bulwark.rejections{policy=" + policy + "}");
        }
        for (BreakerState to : BreakerState.values()) {
            out.add("bulwark.breaker.transitions{to=" + to + "}");
        }
        for (CommitOutcome outcome : CommitOutcome.values()) {
            out.add("bulwark.commits.resolved{outcome=" + outcome + "}");
        }
        out.addAll(List.of("bulwark.retries.budget.exhausted{}", "bulwark.pool.evictions{}", "bulwark.statements.slow{}"));
        return out;
    }

    private static List<String> counters(SimpleMeterRegistry registry, String source) {
        List<String> out = new ArrayList<>();
        for (Meter m : registry.getMeters()) {
            if (m instanceof Counter && source.equals(m.getId().getTag("source"))) {
                StringBuilder tags = new StringBuilder();
                m.getId().getTags().stream().filter(t -> !t.getKey().equals("source"))
                        .forEach(t -> tags.append(t.getKey()).append('=').append(t.getValue()));
                out.add(m.getId().getName() + "{" + tags + "}");
            }
        }
        return out;
    }
}
