package dev.bulwark.jdbc;

import static dev.bulwark.jdbc.ScenarioPool.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.FaultKind;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 5: the primary crashes and its synchronous standby is promoted. Writers reach whichever node is
 * the primary through a multi-host URL; an acknowledged-write ledger shows that nothing acknowledged is
 * lost and nothing reported failed was applied, and a commit whose acknowledgement was lost just before
 * the failover is reported unknown (08007), never committed.
 */
class FailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);
    private static final int WRITERS = 3;
    private static final TransactionOptions UNIT =
            TransactionOptions.builder().withDeadline(Duration.ofSeconds(3)).build();

    private final List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    private long insert(BulwarkDataSource ds, long id, AtomicInteger attempts) throws SQLException {
        ds.inTransaction(UNIT, c -> {
            attempts.incrementAndGet();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO writes VALUES (?)")) {
                p.setLong(1, id);
                return p.executeUpdate();
            }
        });
        return id;
    }

    private static void createTable(PostgresCluster primary) throws SQLException {
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE writes (id BIGINT PRIMARY KEY)");
        }
    }

    private static Map<Long, Integer> rows(PostgresCluster node) throws SQLException {
        Map<Long, Integer> rows = new HashMap<>();
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM writes")) {
            while (rs.next()) {
                rows.merge(rs.getLong(1), 1, Integer::sum);
            }
        }
        return rows;
    }

    @Test
    void noAcknowledgedWriteIsLostAndStaleConnectionsAreEvicted() throws Exception {
        try (PostgresCluster primary = PostgresCluster.builder().withSynchronousStandby(true).start();
             PostgresCluster standby = primary.createStandby()) {
            createTable(primary);
            String url = PostgresCluster.multiHostJdbcUrl(primary, standby) + "&connectTimeout=1&socketTimeout=5";
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            Set<Long> failed = ConcurrentHashMap.newKeySet();
            Set<Long> unknown = ConcurrentHashMap.newKeySet();
            AtomicLong lastSuccess = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            try (HikariDataSource pool = ScenarioPool.pool(url, primary, "failover", WRITERS)) {
                BulwarkDataSource ds = Bulwark.builder(pool).withConfig(BulwarkConfig.builder().withName("failover")
                        .build()).withListener(events::add).build();
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    futures.add(writers.submit(() -> {
                        while (running.get()) {
                            long id = ids.incrementAndGet();
                            try {
                                acknowledged.add(insert(ds, id, new AtomicInteger()));
                                lastSuccess.set(System.nanoTime());
                            } catch (SQLException e) {
                                ("08007".equals(e.getSQLState()) ? unknown : failed).add(id);
                            }
                            LockSupport.parkNanos(3_000_000);
                        }
                        return null;
                    }));
                }
                await(() -> acknowledged.size() >= 50, Duration.ofSeconds(15), "writes on the primary");
                long crashed = System.nanoTime();
                primary.crash();
                standby.promote();
                long promoted = System.nanoTime();
                await(() -> lastSuccess.get() > promoted, Duration.ofSeconds(15), "a write on the new primary");
                long resumedMs = (lastSuccess.get() - crashed) / 1_000_000;
                int before = acknowledged.size();
                await(() -> acknowledged.size() >= before + 50, Duration.ofSeconds(15), "writes continue");
                running.set(false);
                for (Future<?> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }
                LOG.info("FIGURE scenario 5 (crash + promote): writes resumed {} ms after the crash ({} ms after the "
                        + "promotion); {} acknowledged, {} failed, {} unknown (08007); {} connections evicted",
                        resumedMs, (lastSuccess.get() - promoted) / 1_000_000, acknowledged.size(), failed.size(),
                        unknown.size(), ScenarioPool.events(events, JdbcEvent.ConnectionEvicted.class).size());
                assertThat(ScenarioPool.events(events, JdbcEvent.ConnectionEvicted.class))
                        .as("connections to the crashed primary were evicted").isNotEmpty();
            } finally {
                running.set(false);
                writers.shutdownNow();
            }
            Map<Long, Integer> present = rows(standby);
            assertThat(acknowledged).as("every acknowledged write is on the new primary").allMatch(present::containsKey);
            assertThat(present.values()).as("each exactly once").allMatch(n -> n == 1);
            assertThat(failed).as("writes reported failed are absent").noneMatch(present::containsKey);

            // The old primary comes back as a standby; a pool still pointed at its address meets a read-only server.
            primary.rewindAsStandbyOf(standby);
            try (HikariDataSource stale = ScenarioPool.pool(primary.jdbcUrl(), primary, "stale", 1)) {
                BulwarkDataSource ds = Bulwark.builder(stale).withConfig(BulwarkConfig.builder().withName("stale")
                        .build()).withListener(events::add).build();
                // Three units of three attempts: each evicts the pool again and each close races HikariCP's evictor
                // (a tenth READ_ONLY fault would open the breaker).
                for (int i = 0; i < 3; i++) {
                    SQLException e = catchThrowableOfType(SQLException.class,
                            () -> insert(ds, ids.incrementAndGet(), new AtomicInteger()));
                    assertThat(e.getSQLState()).isEqualTo("25006");
                }
                List<JdbcEvent.ConnectionEvicted> readOnlyAttempts = ScenarioPool.events(events,
                        JdbcEvent.ConnectionEvicted.class).stream().filter(c -> c.kind() == FaultKind.READ_ONLY).toList();
                assertThat(readOnlyAttempts).hasSizeGreaterThanOrEqualTo(3);
                assertThat(ScenarioPool.events(events, JdbcEvent.PoolEvicted.class))
                        .as("each READ_ONLY attempt evicts the whole pool, once").hasSameSizeAs(readOnlyAttempts)
                        .allMatch(p -> p.kind() == FaultKind.READ_ONLY && p.source().equals("stale"));
            }
        }
    }

    @Test
    void anAmbiguousCommitFollowedByAFailoverIsReportedUnknownNeverCommitted() throws Exception {
        try (PostgresCluster primary = PostgresCluster.builder().withSynchronousStandby(true).start();
             PostgresCluster standby = primary.createStandby();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port())) {
            createTable(primary);
            // The primary is reached through the proxy; resolution reconnects through the same multi-host URL.
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + ",127.0.0.1:" + standby.port()
                    + "/postgres?targetServerType=primary&sslmode=disable&connectTimeout=1&socketTimeout=5";
            try (HikariDataSource pool = ScenarioPool.pool(url, primary, "ambiguous-failover", 1)) {
                BulwarkDataSource ds = Bulwark.builder(pool).withConfig(BulwarkConfig.builder()
                        .withName("ambiguous-failover").build()).withListener(events::add).build();
                insert(ds, ids.incrementAndGet(), new AtomicInteger()); // the resolver is chosen on a healthy server
                long id = ids.incrementAndGet();
                AtomicInteger attempts = new AtomicInteger();
                // Until the failover, no new connection reaches any primary: the old one is behind a refusing
                // proxy and the standby is not yet a primary, so resolution cannot ask the old primary.
                proxy.refuseNewConnections(true);
                proxy.cutOnCommit(1);
                ExecutorService unit = Executors.newSingleThreadExecutor();
                try {
                    Future<SQLException> outcome = unit.submit(() ->
                            catchThrowableOfType(SQLException.class, () -> insert(ds, id, attempts)));
                    await(() -> proxy.stats().commitsCut() == 1, Duration.ofSeconds(10), "the COMMIT was cut");
                    primary.crash();
                    standby.promote();
                    SQLException e = outcome.get(30, TimeUnit.SECONDS);
                    boolean present = rows(standby).containsKey(id);
                    List<JdbcEvent.CommitResolved> resolved = ScenarioPool.events(events, JdbcEvent.CommitResolved.class);
                    LOG.info("FIGURE scenario 5 (ambiguous commit + failover): reported {} ({}); the row is {} on the "
                            + "new primary; resolution: {}", e == null ? "success" : e.getSQLState(),
                            e == null ? "" : e.getMessage(), present ? "present" : "absent", resolved);
                    assertThat((Throwable) e).as("never reported committed").isNotNull();
                    assertThat(e.getSQLState()).isEqualTo("08007");
                    assertThat(attempts).as("a unit of unknown outcome is not run again").hasValue(1);
                    assertThat(resolved).singleElement().extracting(JdbcEvent.CommitResolved::outcome)
                            .isEqualTo(CommitOutcome.UNKNOWN);
                } finally {
                    unit.shutdownNow();
                }
            }
        }
    }
}
