package dev.bulwark.jdbc;

import static dev.bulwark.jdbc.ScenarioPool.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * A primary that stops answering (SIGSTOP of every server process; a blackholed network), reached through HikariCP
 * and pgjdbc with all their defaults ({@code socketTimeout} 0, {@code connectTimeout} 10 s, {@code sslmode=prefer},
 * {@code validationTimeout} 5 s, {@code connectionTimeout} 30 s): every call through Bulwark returns by its deadline
 * plus the documented slack, and writes resume promptly once the server answers again (docs/transactions.md,
 * "Deadlines on a hung server").
 */
class HungPrimaryDefaultsIT {

    private static final Logger LOG = LoggerFactory.getLogger(HungPrimaryDefaultsIT.class);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final TransactionOptions UNIT = TransactionOptions.builder().withDeadline(DEADLINE).build();
    /**
     * Documented: a unit returns by its deadline plus the commit grace (1 s, a COMMIT in flight) plus the
     * watchdog's slack (150 ms past the bound, looked at every 50 ms); 0.5 s of scheduling noise.
     */
    private static final long BOUND_MS = DEADLINE.toMillis() + 1_000 + 200 + 500;
    private static final Duration HANG = Duration.ofSeconds(6);
    /** Writes resume within this of the server answering again. */
    private static final long RESUME_MS = 3_000;
    private static final int THREADS = 4;

    private record Call(long startNanos, long endNanos, String outcome) {
        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    /** The same workload through either fault: {@code hang} stops the server answering, {@code resume} undoes it. */
    private static void hangAndResume(String name, String url, String user, String password, Runnable hang,
                                      Runnable resume) throws Exception {
        HikariConfig config = new HikariConfig(); // HikariCP's defaults, pgjdbc's defaults
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName(name);
        List<Call> calls = new CopyOnWriteArrayList<>();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong ids = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        String table = "hung_" + Long.toHexString(System.nanoTime());
        try (HikariDataSource pool = new HikariDataSource(config);
             BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName(name).build())) {
            ds.inAutoCommit(TransactionOptions.defaults(), c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)");
                }
            });
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(workers.submit(() -> {
                    while (running.get()) {
                        long id = ids.incrementAndGet();
                        long start = System.nanoTime();
                        String outcome;
                        try {
                            ds.inTransaction(UNIT, c -> {
                                try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
                                    p.setLong(1, id);
                                    return p.executeUpdate();
                                }
                            });
                            acknowledged.add(id);
                            outcome = "ok";
                        } catch (SQLException e) {
                            outcome = e.getClass().getSimpleName() + " " + e.getSQLState();
                        }
                        calls.add(new Call(start, System.nanoTime(), outcome));
                        LockSupport.parkNanos(5_000_000);
                    }
                    return null;
                }));
            }
            await(() -> acknowledged.size() >= 40, Duration.ofSeconds(20), "writes before the hang");
            long hung = System.nanoTime();
            hang.run();
            long resumed;
            try {
                LockSupport.parkNanos(HANG.toNanos());
            } finally {
                resume.run();
                resumed = System.nanoTime();
            }
            await(() -> calls.stream().anyMatch(c -> c.endNanos() > resumed && c.outcome().equals("ok")),
                    Duration.ofSeconds(30), "a write after the server answers again");
            long firstGood = calls.stream().filter(c -> c.endNanos() > resumed && c.outcome().equals("ok"))
                    .mapToLong(Call::endNanos).min().orElseThrow();
            LockSupport.parkNanos(1_000_000_000L);
            running.set(false);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<Call> during = calls.stream().filter(c -> c.endNanos() > hung).toList();
            long worst = during.stream().mapToLong(Call::millis).max().orElse(0);
            long failed = during.stream().filter(c -> !c.outcome().equals("ok")).count();
            long resumeMs = (firstGood - resumed) / 1_000_000;
            LOG.info("FIGURE hung primary, HikariCP + pgjdbc defaults ({}), {} threads, {} ms deadline, {} s hang: "
                    + "worst call {} ms, {} of {} calls failed ({}), first good write {} ms after the server "
                    + "answered again", name, THREADS, DEADLINE.toMillis(), HANG.toSeconds(), worst, failed,
                    during.size(), during.stream().map(Call::outcome).filter(o -> !o.equals("ok")).distinct().toList(),
                    resumeMs);
            assertThat(during).as("calls during and after the hang").isNotEmpty();
            assertThat(during).as("every call returns by the deadline plus the documented slack (%d ms)", BOUND_MS)
                    .allSatisfy(c -> assertThat(c.millis()).as("a call ending with %s", c.outcome())
                            .isLessThan(BOUND_MS));
            assertThat(resumeMs).as("ms from the server answering again to the first good write")
                    .isLessThan(RESUME_MS);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
                Set<Long> present = new java.util.HashSet<>();
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
                assertThat(present).as("every acknowledged write is in the table").containsAll(acknowledged);
            }
            ds.inAutoCommit(TransactionOptions.defaults(), c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("DROP TABLE " + table);
                }
            });
        } finally {
            running.set(false);
            workers.shutdownNow();
        }
    }

    @Test
    void aFrozenPrimaryCostsADeadlineWithTheDriversAndPoolsDefaults() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            try {
                hangAndResume("defaults-frozen", cluster.jdbcUrl(), cluster.user(), cluster.password(),
                        cluster::freeze, cluster::thaw);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void aBlackholedPrimaryCostsADeadlineWithTheDriversAndPoolsDefaults() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            try {
                hangAndResume("defaults-blackhole", db.jdbcUrlVia(proxy.host(), proxy.port()), db.user(),
                        db.password(), () -> proxy.blackhole(true), () -> proxy.blackhole(false));
            } finally {
                proxy.blackhole(false);
            }
        }
    }

    @Test
    void aStreamedResultSetFrozenMidStreamReturnsAtTheDeadline() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(cluster.jdbcUrl());
            config.setUsername(cluster.user());
            config.setPassword(cluster.password());
            config.setPoolName("defaults-stream");
            try (HikariDataSource pool = new HikariDataSource(config);
                 BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("defaults-stream").build())) {
                TransactionOptions unit = TransactionOptions.builder().withDeadline(DEADLINE).withMaxAttempts(1).build();
                // Warm: the first abort's code paths (class loading) are not what this measures.
                ds.inTransaction(UNIT, c -> null);
                int[] read = {0};
                long[] frozenAt = {0};
                // Read in the work: the unit's deadline began before it (the attempt's start), so the deadline
                // is at most 2 s after this, whatever delays the test thread before the attempt on a busy machine.
                long[] start = {System.nanoTime()};
                try {
                    SQLException e = null;
                    try { // plain try/catch: nothing of the test's own between the clock read and the unit
                        ds.inTransaction(unit, c -> {
                            start[0] = System.nanoTime();
                            try (Statement s = c.createStatement()) {
                                s.setFetchSize(100); // autocommit is off in a unit: pgjdbc fetches 100 rows at a time
                                try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 1000000) g")) {
                                    while (rs.next()) {
                                        if (++read[0] == 150) {
                                            // Late in the unit: the socket timeout set at the query (what was left
                                            // then, 2 s) would let the next fetch wait until 3 s.
                                            LockSupport.parkNanos(1_000_000_000L);
                                            cluster.freeze(); // the next fetch waits for a server that never answers
                                            frozenAt[0] = System.nanoTime();
                                        }
                                    }
                                    return read[0];
                                }
                            }
                        });
                    } catch (SQLException thrown) {
                        e = thrown;
                    }
                    long elapsedMs = ScenarioPool.millisSince(start[0]);
                    LOG.info("FIGURE hung primary, defaults: a streamed ResultSet frozen after {} rows, {} ms deadline: "
                            + "returned {} ms after the work began: {}", read[0], DEADLINE.toMillis(), elapsedMs, String.valueOf(e));
                    assertThat((Throwable) e).as("a fetch from a frozen server").isNotNull();
                    assertThat(e.getSQLState()).as("SQLState of a fetch past the deadline").isEqualTo("HYT00");
                    assertThat(read[0]).as("rows read before the freeze").isBetween(150, 200);
                    // The fetch's bound is the deadline; on a loaded machine the freeze itself may end past it, and
                    // then the fetch is aborted as soon as the watchdog looks.
                    long boundMs = Math.max(DEADLINE.toMillis(), (frozenAt[0] - start[0]) / 1_000_000);
                    assertThat(elapsedMs).as("ms until the unit returned (the fetch's bound: %d ms)", boundMs)
                            .isLessThan(boundMs + 200 + 500);
                } finally {
                    cluster.thaw();
                }
                String after = ds.inTransaction(UNIT, c -> "after");
                assertThat(after).as("a unit after the thaw").isEqualTo("after");
            }
        }
    }
}
