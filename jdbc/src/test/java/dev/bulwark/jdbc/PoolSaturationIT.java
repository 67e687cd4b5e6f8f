package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A busy pool is not a sick database: every connection in use is reported as an exhausted pool (health
 * DEGRADED, the setting to look at), never counted by the breaker, and a caller waits for a connection no
 * longer than {@code bulwark.timeout.acquire}.
 */
class PoolSaturationIT {

    private static HikariDataSource pool(TestDatabase db, String name, long connectionTimeoutMillis) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(1);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(connectionTimeoutMillis);
        c.setPoolName(name);
        return new HikariDataSource(c);
    }

    @Test
    void getConnectionWaitsNoLongerThanTheAcquireTimeout() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, "acquire-bound", 6_000)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("acquire-bound")
                    .withTimeouts(TimeoutConfig.builder().withAcquire(Duration.ofSeconds(1)).build()).build());
            try (Connection held = ds.getConnection()) {
                long start = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class, ds::getConnection);
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat((Throwable) e).as("getConnection on a pool whose only connection is held").isNotNull();
                assertThat(elapsedMs).as("ms waited with bulwark.timeout.acquire=1s, connectionTimeout=6s")
                        .isLessThan(1_000 + 1_500);
                assertThat(held.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void aBusyPoolIsNotASickDatabase() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, "busy", 300)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("busy")
                    .withBreaker(BreakerConfig.builder().withMinimumCalls(2).withSlidingWindowSize(4)
                            .withFailureRateThreshold(50).build()).build());
            try (Connection held = ds.getConnection()) {
                for (int i = 0; i < 3; i++) {
                    SQLException e = catchThrowableOfType(SQLException.class, ds::getConnection);
                    assertThat((Throwable) e).as("getConnection %d on a pool whose only connection is held", i)
                            .isNotNull();
                    assertThat(e.getSQLState()).as("SQLState of %s", e).isEqualTo("53400");
                    assertThat(e.getMessage()).contains("exhausted").contains("maximumPoolSize")
                            .contains("bulwark.timeout.acquire");
                    assertThat(e.getSuppressed()).as("not retried: the wait was the caller's to spend").isEmpty();
                }
                SQLException unit = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> c.isValid(1)));
                assertThat(unit.getSQLState()).as("a unit on the busy pool: %s", unit).isEqualTo("53400");

                Health health = ds.health();
                assertThat(health.status()).as("%s", health.toJson()).isEqualTo(Health.Status.DEGRADED);
                assertThat(health.components().get("breaker").status()).as("%s", health.toJson())
                        .isEqualTo(Health.Status.UP);
                assertThat(health.components().get("pool").status()).isEqualTo(Health.Status.DEGRADED);
                assertThat(health.components().get("pool").details()).containsEntry("saturated", true);
                assertThat(health.components().get("connectivity").status()).as("%s", health.toJson())
                        .isEqualTo(Health.Status.DEGRADED);
            }
            boolean valid = ds.inTransaction(c -> c.isValid(1));
            assertThat(valid).as("a unit once the connection is released").isTrue();
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(ds.health().status()).isEqualTo(Health.Status.UP);
        }
    }
}
