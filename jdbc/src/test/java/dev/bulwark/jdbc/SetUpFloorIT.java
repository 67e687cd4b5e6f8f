package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * docs/transactions.md: with less than 100 ms of the wait for a connection left, set-up does not send its
 * {@code statement_timeout} read (a live server's answer could miss so short a bound and a healthy connection
 * be given up); the connection is lent with the per-statement timeout instead.
 */
class SetUpFloorIT {

    @Test
    void aWaitShorterThanTheSetUpFloorLendsTheHealthyConnectionWithTheStatementTimeoutStillEnforced() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db)) {
            // acquire 50 ms: every borrow has less than the floor left when set-up would send its read
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("setup-floor")
                    // no resolver inspection at the first borrow: only the statement_timeout read is at stake
                    .withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.OFF).build())
                    .withTimeouts(TimeoutConfig.builder().withAcquire(Duration.ofMillis(50))
                            .withStatement(Duration.ofMillis(500)).build()).build());
            Integer backend = null;
            for (int i = 0; i < 3; i++) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    int pid;
                    try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pid = rs.getInt(1);
                    }
                    if (backend != null) {
                        assertThat(pid).as("borrow %d: the pool's only connection, never given up", i).isEqualTo(backend);
                    }
                    backend = pid;
                    SQLTimeoutException e = catchThrowableOfType(SQLTimeoutException.class, () -> {
                        try (ResultSet rs = s.executeQuery("SELECT pg_sleep(3)")) {
                            rs.next();
                        }
                    });
                    assertThat((Throwable) e).as("borrow %d: a 3 s statement under a 500 ms statement timeout", i)
                            .isNotNull();
                    assertThat(e.getSQLState()).isEqualTo("57014");
                }
            }
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(1);
        c.setMinimumIdle(1);
        c.setPoolName("setup-floor");
        return new HikariDataSource(c);
    }
}
