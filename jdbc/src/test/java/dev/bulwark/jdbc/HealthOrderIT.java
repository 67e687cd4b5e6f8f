package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code health()} lists its components and their details in the order docs/jdbc.md#health documents, in
 * {@link Health#components()} and in {@link Health#toJson()} alike, so a health endpoint's output is stable.
 */
class HealthOrderIT {

    static final List<String> COMPONENTS = List.of("breaker", "pool", "connectivity", "commitResolution");
    static final List<String> POOL = List.of("active", "idle", "total", "waiting", "bypassed", "max", "saturated");

    @Test
    void componentsAndDetailsOfAHealthyPooledDataSourceComeInTheDocumentedOrder() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db)) {
            BulwarkDataSource ds = Bulwark.wrap(pool);
            for (int i = 0; i < 3; i++) { // before the first unit (resolution undecided) and after
                Health h = ds.health();
                assertOrder(h, COMPONENTS);
                assertThat(h.components().get("breaker").details()).containsExactly(Map.entry("state", "CLOSED"));
                assertThat(h.components().get("pool").details().keySet()).containsExactlyElementsOf(POOL);
                assertThat(h.components().get("connectivity").details().keySet())
                        .containsExactly("valid", "latencyMs");
                assertThat(h.components().get("commitResolution").details().keySet()).startsWith("strategy");
                ds.useTransaction(c -> c.createStatement().close());
            }
        }
    }

    @Test
    void aFailedProbeListsFaultMessageAndSqlStateInThatOrder() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            ChaosDataSource down = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(5)
                    .on(ChaosRule.atAcquire().withEvery(1).fail("08001")).build());
            Health h = Bulwark.wrap(down).health();
            assertOrder(h, List.of("breaker", "connectivity", "commitResolution")); // no pool statistics to show
            assertThat(h.components().get("connectivity").details().keySet())
                    .containsExactly("fault", "message", "sqlState");
            assertThat(h.status()).isEqualTo(Health.Status.DOWN);
        }
    }

    /** The components in this order, in the record and in the JSON (each component's key after the previous). */
    private static void assertOrder(Health h, List<String> expected) {
        assertThat(h.components().keySet()).containsExactlyElementsOf(expected);
        String json = h.toJson();
        List<Integer> at = new ArrayList<>();
        for (String name : expected) {
            at.add(json.indexOf("\"" + name + "\":{\"status\""));
        }
        assertThat(at).as(json).doesNotContain(-1).isSorted();
        for (Map.Entry<String, Health.Component> c : h.components().entrySet()) {
            int from = json.indexOf("\"" + c.getKey() + "\":{");
            int last = from;
            for (String detail : c.getValue().details().keySet()) {
                int next = json.indexOf("\"" + detail + "\":", last);
                assertThat(next).as("%s.%s after the previous detail in %s", c.getKey(), detail, json)
                        .isGreaterThan(last);
                last = next;
            }
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(2);
        c.setPoolName("health-order");
        return new HikariDataSource(c);
    }
}
