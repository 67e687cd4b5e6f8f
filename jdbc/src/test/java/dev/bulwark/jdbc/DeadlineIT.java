package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No call outlives its deadline on a server that freezes (SIGSTOP: no error, no reply), however late in the
 * unit the freeze comes, and Bulwark never loosens a tighter timeout the user gave the driver.
 */
class DeadlineIT {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineIT.class);

    private static final long SLACK_MS = 1_500;

    @Test
    void aStatementLateInAUnitReturnsAtTheUnitsDeadlineWhenTheServerFreezes() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start();
             HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, "late-freeze", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("late-freeze").build());
            Duration deadline = Duration.ofSeconds(3);
            TransactionOptions unit = TransactionOptions.builder().withDeadline(deadline).withMaxAttempts(1).build();
            long start = System.nanoTime();
            try {
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(unit, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_sleep(2.3)");
                        cluster.freeze();
                        return s.execute("SELECT 1");
                    }
                }));
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: server frozen 2.3 s into a 3 s unit; the unit returned after {} ms: {}",
                        elapsedMs, e);
                assertThat((Throwable) e).as("a unit whose server froze 2.3 s into its 3 s").isNotNull();
                assertThat(elapsedMs).as("ms until the unit returned (deadline %s)", deadline)
                        .isLessThan(deadline.toMillis() + SLACK_MS);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void aFreezeJustBeforeTheCommitEndsTheUnitNearItsDeadline() throws Exception {
        // The COMMIT and the resolver's query before it (pg_current_xact_id) get the commit's own bound: what
        // is left of the deadline, at least 1 s; not what was left when the unit began.
        try (PostgresCluster cluster = PostgresCluster.builder().start();
             HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, "commit-freeze", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("commit-freeze").build());
            Duration deadline = Duration.ofSeconds(5);
            TransactionOptions unit = TransactionOptions.builder().withDeadline(deadline).withMaxAttempts(1).build();
            long start = System.nanoTime();
            try {
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(unit, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_sleep(4.3)");
                    }
                    cluster.freeze();
                    return null;
                }));
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: server frozen just before the COMMIT of a 5 s unit (4.3 s in); the unit "
                        + "returned after {} ms: {}", elapsedMs, e);
                assertThat((Throwable) e).as("a unit whose server froze before its COMMIT").isNotNull();
                // The commit's bound is at least 1 s past the moment it starts: deadline + 1 s + slack at most.
                assertThat(elapsedMs).as("ms until the unit returned (deadline %s)", deadline)
                        .isLessThan(deadline.toMillis() + 1_000 + SLACK_MS);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void theUsersSocketTimeoutInTheUrlBoundsAStatementOnAFrozenServer() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            Properties p = cluster.connectionProperties();
            String url = "jdbc:bulwark:" + cluster.jdbcUrl().substring("jdbc:".length())
                    + (cluster.jdbcUrl().contains("?") ? "&" : "?") + "socketTimeout=2";
            try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
                assertThat(c.getNetworkTimeout()).as("network timeout of a connection whose URL says socketTimeout=2")
                        .isBetween(1, 2_000);
                cluster.freeze();
                long start = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT 1"));
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: jdbc:bulwark: URL with socketTimeout=2, frozen server; the statement returned "
                        + "after {} ms: {}", elapsedMs, e);
                assertThat((Throwable) e).isNotNull();
                assertThat(elapsedMs).as("ms until a statement on the frozen server returned").isLessThan(2_000 + SLACK_MS);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void aUnitsLongerDeadlineDoesNotLoosenTheUsersSocketTimeout() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start();
             HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl()
                     + (cluster.jdbcUrl().contains("?") ? "&" : "?") + "socketTimeout=2", cluster, "user-socket", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("user-socket").build());
            TransactionOptions unit = TransactionOptions.builder().withDeadline(Duration.ofSeconds(20))
                    .withMaxAttempts(1).build();
            long start = System.nanoTime();
            try {
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(unit, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                        cluster.freeze();
                        return s.execute("SELECT 2");
                    }
                }));
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: pool URL with socketTimeout=2, 20 s unit, frozen server; the unit returned "
                        + "after {} ms: {}", elapsedMs, e);
                assertThat((Throwable) e).isNotNull();
                assertThat(elapsedMs).as("ms until a unit with a 20 s deadline returned, socketTimeout=2")
                        .isLessThan(2_000 + SLACK_MS);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void healthOfAnUnknownPoolOnAFrozenServerAnswersWithinItsProbeTimeout() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            PGSimpleDataSource plain = new PGSimpleDataSource(); // not HikariCP, no login timeout: waits forever
            plain.setUrl(cluster.jdbcUrl());
            plain.setUser(cluster.user());
            plain.setPassword(cluster.password());
            BulwarkDataSource ds = Bulwark.wrap(plain, BulwarkConfig.builder().withName("plain-health").build());
            assertThat(ds.health().status()).isEqualTo(Health.Status.UP);
            cluster.freeze();
            try {
                for (int i = 0; i < 2; i++) {
                    long start = System.nanoTime();
                    Health health = assertTimeoutPreemptively(Duration.ofSeconds(20), ds::health);
                    long elapsedMs = ScenarioPool.millisSince(start);
                    LOG.info("FIGURE deadline: health() of a plain DataSource on a frozen server after {} ms: {}",
                            elapsedMs, health.toJson());
                    assertThat(health.status()).as("health %d of a frozen server: %s", i, health.toJson())
                            .isEqualTo(Health.Status.DOWN);
                    assertThat(elapsedMs).as("ms until health() answered (probe timeout 2 s)").isLessThan(2_000 + SLACK_MS);
                }
            } finally {
                cluster.thaw();
            }
        }
    }
}
