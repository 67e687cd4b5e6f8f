package dev.bulwark.jdbc;

import static dev.bulwark.jdbc.ScenarioPool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 6: the primary hangs (SIGSTOP: no error, no reply). Every unit returns within its deadline,
 * failing with a timeout- or connection-class error; with a standby promoted and a multi-host URL, writes
 * resume on the new primary.
 */
class HungPrimaryIT {

    private static final Logger LOG = LoggerFactory.getLogger(HungPrimaryIT.class);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final TransactionOptions UNIT = TransactionOptions.builder().withDeadline(DEADLINE).build();

    private final AtomicLong ids = new AtomicLong();

    private long insert(BulwarkDataSource ds) throws SQLException {
        long id = ids.incrementAndGet();
        ds.inTransaction(UNIT, c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO writes VALUES (?)")) {
                p.setLong(1, id);
                return p.executeUpdate();
            }
        });
        return id;
    }

    private static void createTable(PostgresCluster cluster) throws SQLException {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE writes (id BIGINT PRIMARY KEY)");
        }
    }

    @Test
    void everyUnitOnAFrozenServerFailsWithinItsDeadline() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            createTable(cluster);
            try (HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, "hung", 2)) {
                List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
                BulwarkDataSource ds = Bulwark.builder(pool).withConfig(BulwarkConfig.builder().withName("hung").build())
                        .withListener(events::add).build();
                insert(ds);
                cluster.freeze();
                List<Long> elapsedMs = new ArrayList<>();
                List<String> failures = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    SQLException e = catchThrowableOfType(SQLException.class, () -> insert(ds));
                    elapsedMs.add(ScenarioPool.millisSince(start));
                    assertThat((Throwable) e).as("unit %d on a frozen server", i).isInstanceOfAny(
                            SQLTimeoutException.class, SQLRecoverableException.class, CircuitOpenException.class);
                    failures.add(e.getClass().getSimpleName() + " " + e.getSQLState());
                }
                LOG.info("FIGURE scenario 6 (frozen server, deadline {} ms): units failed after {} ms: {}",
                        DEADLINE.toMillis(), elapsedMs, failures);
                assertThat(elapsedMs).as("each unit returns within its deadline plus a margin")
                        .allMatch(ms -> ms < DEADLINE.toMillis() + 1_500);
                assertThat(ScenarioPool.events(events, JdbcEvent.PoolEvicted.class))
                        .as("idle connections to the silent server were evicted, not lent to the next unit")
                        .isNotEmpty();
                cluster.thaw();
                await(() -> succeeds(ds), Duration.ofSeconds(10), "a unit succeeds after the thaw");
            }
        }
    }

    @Test
    void writesResumeOnThePromotedStandbyWhileThePrimaryHangs() throws Exception {
        try (PostgresCluster primary = PostgresCluster.builder().withSynchronousStandby(true).start();
             PostgresCluster standby = primary.createStandby()) {
            createTable(primary);
            // socketTimeout bounds pgjdbc's own connection start-up on the hung host, so that new connections
            // move on to the next host after a second (docs/operations.md recommends it: Bulwark sets every
            // lent connection's network timeout itself, so socketTimeout governs only the start-up); Bulwark
            // bounds every unit by its deadline.
            String url = PostgresCluster.multiHostJdbcUrl(primary, standby) + "&connectTimeout=1&socketTimeout=1&sslmode=disable";
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong lastSuccess = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try (HikariDataSource pool = ScenarioPool.pool(url, primary, "hung-failover", 3)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("hung-failover").build());
                Future<?> writes = writer.submit(() -> {
                    while (running.get()) {
                        try {
                            acknowledged.add(insert(ds));
                            lastSuccess.set(System.nanoTime());
                        } catch (SQLException e) {
                            LOG.debug("write failed: {}", e.toString());
                        }
                        LockSupport.parkNanos(5_000_000);
                    }
                    return null;
                });
                await(() -> acknowledged.size() >= 20, Duration.ofSeconds(10), "writes on the primary");
                long frozen = System.nanoTime();
                primary.freeze();
                standby.promote();
                long promoted = System.nanoTime();
                await(() -> lastSuccess.get() > promoted, Duration.ofSeconds(20), "a write on the new primary");
                long resumedMs = (lastSuccess.get() - frozen) / 1_000_000;
                long afterPromotionMs = (lastSuccess.get() - promoted) / 1_000_000;
                int before = acknowledged.size();
                await(() -> acknowledged.size() >= before + 20, Duration.ofSeconds(10), "writes continue");
                running.set(false);
                writes.get(30, TimeUnit.SECONDS);
                LOG.info("FIGURE scenario 6 (hung primary, standby promoted): writes resumed {} ms after the freeze, "
                        + "{} ms after the promotion completed ({} ms); {} writes acknowledged", resumedMs,
                        afterPromotionMs, (promoted - frozen) / 1_000_000, acknowledged.size());
                assertThat(resumedMs).as("ms from freeze to the first write on the new primary").isLessThan(15_000);
            } finally {
                running.set(false);
                writer.shutdownNow();
            }
            try (Connection c = standby.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM writes")) {
                Set<Long> present = new java.util.HashSet<>();
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
                assertThat(present).as("every acknowledged write is on the new primary").containsAll(acknowledged);
            }
        }
    }

    private boolean succeeds(BulwarkDataSource ds) {
        try {
            insert(ds);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
