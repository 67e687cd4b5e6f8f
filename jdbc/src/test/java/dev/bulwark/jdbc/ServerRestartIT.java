package dev.bulwark.jdbc;

import static dev.bulwark.jdbc.ScenarioPool.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BreakerState;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Scenario 4: the database restarts under traffic. HikariCP behind Bulwark, three writer threads; while the
 * server is down the breaker opens and refuses calls at once; once the server accepts connections again,
 * units succeed without any restart of the application.
 */
class ServerRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRestartIT.class);
    private static final int WRITERS = 3;

    private final List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
    private final List<Long> rejectedNanos = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> successAt = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger otherFailures = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final java.util.Set<Long> acknowledgedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Long> unknownIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Long> failedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Test
    void breakerOpensFailsFastAndTheFirstUnitAfterTheRestartSucceeds() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            try (var c = cluster.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE writes (id BIGINT PRIMARY KEY)");
            }
            BulwarkConfig config = BulwarkConfig.builder().withName("restart").build();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            AtomicBoolean running = new AtomicBoolean(true);
            try (HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, "restart", WRITERS)) {
                BulwarkDataSource ds = Bulwark.builder(pool).withConfig(config).withListener(events::add).build();
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    futures.add(writers.submit(() -> write(ds, running)));
                }
                await(() -> written.get() >= 30, Duration.ofSeconds(10), "writers warmed up");

                long stopped = System.nanoTime();
                cluster.stop();
                await(() -> breakerWentTo(BreakerState.OPEN), Duration.ofSeconds(15), "the breaker opened");
                long opened = ScenarioPool.millisSince(stopped);
                int rejectedBefore = rejectedNanos.size();
                await(() -> rejectedNanos.size() >= rejectedBefore + 200, Duration.ofSeconds(10),
                        "rejected calls while the server is down");

                Thread starter = new Thread(cluster::start, "cluster-start");
                starter.start();
                await(() -> ScenarioPool.accepting(cluster.jdbcUrl(), cluster), Duration.ofSeconds(30),
                        "the server accepts connections");
                long accepting = System.nanoTime();
                starter.join(30_000);
                await(() -> lastSuccess() > accepting, Duration.ofSeconds(5), "a unit succeeded after the restart");
                long firstSuccessMs = (firstSuccessAfter(accepting) - accepting) / 1_000_000;
                long total = written.get();
                await(() -> written.get() >= total + 30, Duration.ofSeconds(5), "writers continue");
                running.set(false);
                for (Future<?> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }

                double medianRejectedMicros = ScenarioPool.medianMicros(rejectedNanos);
                LOG.info("FIGURE scenario 4 (restart): breaker opened {} ms after stop; {} rejected calls, median "
                        + "{} µs; first success {} ms after the server accepted connections; {} other failures; "
                        + "{} breaker transitions", opened, rejectedNanos.size(), medianRejectedMicros,
                        firstSuccessMs, otherFailures.get(), transitions().size());
                assertThat(medianRejectedMicros).as("median rejected call, µs (generous bound)").isLessThan(50_000);
                assertThat(breakerWentTo(BreakerState.CLOSED)).as("the breaker closed again").isTrue();
                assertThat(ds.health().status()).isEqualTo(Health.Status.UP);
            } finally {
                running.set(false);
                writers.shutdownNow();
            }
            java.util.Set<Long> rows = new java.util.HashSet<>();
            long count = 0;
            try (var c = cluster.connect(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT * FROM writes")) {
                while (rs.next()) {
                    rows.add(rs.getLong(1));
                    count++;
                }
            }
            assertThat(count).as("no write applied twice").isEqualTo(rows.size());
            assertThat(rows).as("every acknowledged write is there").containsAll(acknowledgedIds);
            assertThat(failedIds).as("no write reported failed is there").noneMatch(rows::contains);
            rows.removeAll(acknowledgedIds);
            assertThat(unknownIds).as("any other row was reported as unknown (08007)").containsAll(rows);
        }
    }

    private void write(BulwarkDataSource ds, AtomicBoolean running) {
        while (running.get()) {
            long id = System.nanoTime();
            long start = System.nanoTime();
            try {
                ds.inTransaction(TransactionOptions.builder().withDeadline(Duration.ofSeconds(2)).build(), c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO writes VALUES (?)")) {
                        p.setLong(1, id);
                        return p.executeUpdate();
                    }
                });
                written.incrementAndGet();
                acknowledgedIds.add(id);
                successAt.add(System.nanoTime());
            } catch (CircuitOpenException e) {
                rejectedNanos.add(System.nanoTime() - start);
                assertThat(e.getSQLState()).isEqualTo("08001");
            } catch (SQLException e) {
                otherFailures.incrementAndGet();
                ("08007".equals(e.getSQLState()) ? unknownIds : failedIds).add(id);
            }
            LockSupport.parkNanos(2_000_000); // paced: a few hundred calls a second per writer
        }
    }

    private long lastSuccess() {
        synchronized (successAt) {
            return successAt.isEmpty() ? 0 : successAt.get(successAt.size() - 1);
        }
    }

    private long firstSuccessAfter(long nanos) {
        synchronized (successAt) {
            return successAt.stream().filter(t -> t > nanos).findFirst().orElseThrow();
        }
    }

    private boolean breakerWentTo(BreakerState state) {
        return ScenarioPool.events(events, PolicyEvent.BreakerTransition.class).stream().anyMatch(t -> t.to() == state);
    }

    private List<String> transitions() {
        return ScenarioPool.events(events, PolicyEvent.BreakerTransition.class).stream()
                .map(t -> t.from() + "->" + t.to()).toList();
    }
}
