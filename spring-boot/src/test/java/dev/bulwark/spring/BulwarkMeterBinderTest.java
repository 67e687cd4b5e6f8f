package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.JdbcEvent;
import dev.bulwark.spring.internal.BulwarkMeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Events sent before Spring Boot binds the registry (data sources are built first) are counted once per registry. */
class BulwarkMeterBinderTest {

    private static double evictions(SimpleMeterRegistry registry) {
        var counter = registry.find("bulwark.evictions").tag("source", "ds").tag("kind", "CONNECTION").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void earlyEventsAreReplayedToEachRegistryWhenItIsBoundAndLaterOnesCountedOnce() {
        BulwarkMeterBinder binder = new BulwarkMeterBinder();
        binder.onEvent(new JdbcEvent.ConnectionEvicted("ds", FaultKind.CONNECTION, "08006")); // before any registry
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        binder.bindTo(first);
        assertThat(evictions(first)).isEqualTo(1);
        assertThat(first.find("bulwark.breaker.state").tag("source", "ds").gauge()).isNotNull();

        binder.onEvent(new JdbcEvent.ConnectionEvicted("ds", FaultKind.CONNECTION, "08006"));
        assertThat(evictions(first)).isEqualTo(2);

        SimpleMeterRegistry second = new SimpleMeterRegistry(); // bound later: the early event, then what follows
        binder.bindTo(second);
        binder.onEvent(new JdbcEvent.ConnectionEvicted("ds", FaultKind.CONNECTION, "08006"));
        assertThat(evictions(first)).isEqualTo(3);
        assertThat(evictions(second)).isEqualTo(2);
    }
}
