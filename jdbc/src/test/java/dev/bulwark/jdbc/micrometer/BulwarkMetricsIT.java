package dev.bulwark.jdbc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class BulwarkMetricsIT {

    @Test
    void retriesEvictionsRejectionsAndTheBreakerStateAreMetered() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            // The first execute loses its connection; later, every acquire fails (the database is "down").
            java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                    new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
            java.time.Clock clock = new java.time.Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return java.time.ZoneOffset.UTC;
                }

                @Override
                public java.time.Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public java.time.Instant instant() {
                    return now.get();
                }
            };
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(3).withClock(clock)
                    .on(ChaosRule.atExecute().withCall(1).closeConnection())
                    .on(ChaosRule.atAcquire().withEvery(1).withWindow(java.time.Duration.ofMinutes(1),
                            java.time.Duration.ofDays(1)).fail("08001"))
                    .build());
            BulwarkConfig config = BulwarkConfig.builder().withName("orders")
                    .withBreaker(BreakerConfig.builder().withMinimumCalls(2).withSlidingWindowSize(2).build()).build();
            BulwarkDataSource ds = Bulwark.builder(chaos).withConfig(config)
                    .withListener(new BulwarkMetrics(registry)).build();

            boolean answered = ds.inTransaction(c -> { // its connection dies once: evicted, retried, succeeds
                try (Statement s = c.createStatement()) {
                    return s.execute("SELECT 1");
                }
            });
            assertThat(answered).isTrue();
            now.set(now.get().plusSeconds(120)); // the database goes down
            assertThatThrownBy(() -> ds.inTransaction(c -> 1)).isInstanceOf(java.sql.SQLException.class);

            assertThat(registry.get("bulwark.retries").tag("source", "orders").tag("kind", "CONNECTION").counter()
                    .count()).isPositive();
            assertThat(registry.get("bulwark.evictions").tag("kind", "CONNECTION").counter().count()).isPositive();
            assertThat(registry.get("bulwark.breaker.transitions").tag("to", "OPEN").counter().count()).isPositive();
            assertThat(registry.get("bulwark.rejections").tag("policy", "CIRCUIT_BREAKER").counter().count())
                    .isPositive();
            assertThat(registry.get("bulwark.breaker.state").tag("source", "orders").gauge().value()).isEqualTo(2.0);
        }
    }
}
