package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.jdbc.Health.Component;
import dev.bulwark.jdbc.Health.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void overallStatusIsTheWorstComponent() {
        Map<String, Component> c = new LinkedHashMap<>();
        c.put("probe", new Component(Status.UP, Map.of()));
        assertThat(Health.of(c).status()).isEqualTo(Status.UP);
        c.put("breaker", new Component(Status.DEGRADED, Map.of()));
        assertThat(Health.of(c).status()).isEqualTo(Status.DEGRADED);
        c.put("pool", new Component(Status.DOWN, Map.of()));
        assertThat(Health.of(c).status()).isEqualTo(Status.DOWN);
        assertThat(Health.of(Map.of()).status()).isEqualTo(Status.UP);
    }

    @Test
    void rendersJsonWithEscapingAndTypedValues() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", "OPEN");
        details.put("latencyMs", 12);
        details.put("ok", false);
        details.put("note", "a \"quoted\"\nline\u0001");
        Health h = Health.of(Map.of("breaker", new Component(Status.DOWN, details)));
        assertThat(h.toJson()).isEqualTo("{\"status\":\"DOWN\",\"components\":{\"breaker\":{\"status\":\"DOWN\","
                + "\"state\":\"OPEN\",\"latencyMs\":12,\"ok\":false,\"note\":\"a \\\"quoted\\\"\\nline\\u0001\"}}}");
    }
}
