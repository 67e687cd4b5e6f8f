package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A unit's deadline bounds its wait for a pooled connection too: HikariCP alone would keep the caller for its
 * whole {@code connectionTimeout} (30 s by default) when every connection is busy.
 */
class PoolWaitIT {

    @Test
    void aUnitWaitsForAPooledConnectionNoLongerThanItsDeadline() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrl());
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setMaximumPoolSize(1);
            c.setConnectionTimeout(30_000); // HikariCP's default
            c.setPoolName("pool-wait");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("pool-wait").build());
                TransactionOptions shortDeadline = TransactionOptions.builder()
                        .withDeadline(Duration.ofMillis(500)).build();
                try (Connection busy = ds.getConnection()) { // the pool's only connection
                    long start = System.nanoTime();
                    SQLException e = catchThrowableOfType(SQLException.class,
                            () -> ds.inTransaction(shortDeadline, conn -> conn.isValid(1)));
                    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                    assertThat((Throwable) e).as("a unit that got no connection").isNotNull();
                    assertThat(e.getSQLState()).as("SQLState of %s", e).isNotNull();
                    // Bounded by the 500 ms deadline, not HikariCP's 30 s (a wide margin for a loaded machine).
                    assertThat(elapsedMs).isLessThan(10_000);
                    assertThat(busy.isValid(1)).isTrue();
                }
                boolean valid = ds.inTransaction(shortDeadline, conn -> conn.isValid(1));
                assertThat(valid).as("once it is free").isTrue();
            }
        }
    }
}
