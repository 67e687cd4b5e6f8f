package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.HostStatus;
import dev.bulwark.jdbc.cluster.Replicas;
import dev.bulwark.jdbc.micrometer.ClusterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.bulwark.testkit.PostgresCluster;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Read routing on a real PostgreSQL primary and asynchronous streaming standby (docs/clusters.md, "Read routing"):
 * where units run, the staleness bound with replay paused, a replica killed mid-read, health, and the cost of a
 * cluster without replicas.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRoutingIT {

    private static final Duration MAX_LAG = Duration.ofSeconds(1);
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static PostgresCluster primary;
    private static PostgresCluster standby;
    private static HikariDataSource primaryPool;
    private static HikariDataSource standbyPool;
    private String table;

    @BeforeAll
    static void startCluster() {
        primary = PostgresCluster.builder().start();
        standby = primary.createStandby();
        primaryPool = ScenarioPool.pool(primary.jdbcUrl(), primary, "routing-primary", 4);
        standbyPool = ScenarioPool.pool(standby.jdbcUrl(), standby, "routing-standby", 4);
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable c : new AutoCloseable[] {standbyPool, primaryPool, standby, primary}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // going on with the others
            }
        }
    }

    @BeforeEach
    void createTable() throws SQLException {
        table = "routing_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
            s.execute("INSERT INTO " + table + " VALUES (0, 0)");
        }
        standby.awaitCaughtUp();
    }

    static BulwarkConfig config(String name) {
        return BulwarkConfig.builder().withName(name)
                .withTimeouts(TimeoutConfig.builder().withTotal(Duration.ofSeconds(3)).build())
                .with(BulwarkProperties.REPLICA_MAX_LAG, MAX_LAG)
                .with(BulwarkProperties.REPLICA_SAMPLE_INTERVAL, INTERVAL).build();
    }

    /** A DAO whose methods say where they ran. */
    public interface Where {
        @dev.bulwark.jdbc.annotations.Transactional(readOnly = true)
        boolean readOnly() throws SQLException;

        @dev.bulwark.jdbc.annotations.Transactional
        boolean readWrite() throws SQLException;
    }

    private static final TransactionOptions READ = TransactionOptions.builder().withReadOnly(true).build();

    private static boolean onReplica(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static void awaitReplicaQualifies(ClusterDataSource db) {
        ScenarioPool.await(() -> db.hosts().get(1).available() && db.hosts().get(1).problem().isEmpty(),
                Duration.ofSeconds(15), "the replica qualifies: " + db.hosts());
    }

    @Test
    @Order(1)
    void readOnlyUnitsRunOnTheReplicaEnforcedReadOnlyAndEverythingElseOnThePrimary() throws Exception {
        try (ClusterDataSource db = Bulwark.wrap(primaryPool, Replicas.of(standbyPool), config("routing"))) {
            awaitReplicaQualifies(db);
            assertThat((boolean) db.inTransaction(READ, ClusterRoutingIT::onReplica)).isTrue();
            assertThat((boolean) db.inTransaction(ClusterRoutingIT::onReplica)).isFalse();
            assertThat((boolean) db.inAutoCommit(READ, ClusterRoutingIT::onReplica)).isFalse();
            try (Connection c = db.getConnection()) {
                assertThat(onReplica(c)).isFalse();
            }
            // A read-only unit nested in a read-write one joins it on the primary.
            assertThat((boolean) db.inTransaction(c -> db.inTransaction(READ, ClusterRoutingIT::onReplica))).isFalse();
            // Inside a replica unit, getConnection() is the unit's connection, on the replica.
            assertThat((boolean) db.inTransaction(READ, c -> {
                try (Connection same = db.getConnection()) {
                    return onReplica(same);
                }
            })).isTrue();
            // A write in a read-only unit is the work's own error: refused, not run again on the primary.
            long before = db.hosts().get(0).routedUnits();
            assertThatThrownBy(() -> db.inTransaction(READ, c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE " + table + " SET v = 1");
                }
            })).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
            assertThat(db.hosts().get(0).routedUnits()).as("not run again on the primary").isEqualTo(before);
            assertThat(db.hosts().get(1).fallbacks()).isZero();
            assertThat((long) db.inTransaction(READ, c -> value(c))).isZero();
            // An @Transactional(readOnly = true) DAO method is a read-only unit like any other.
            Where dao = Bulwark.dao(Where.class, new Where() {
                @Override
                public boolean readOnly() throws SQLException {
                    try (Connection c = db.getConnection()) {
                        return onReplica(c);
                    }
                }

                @Override
                public boolean readWrite() throws SQLException {
                    try (Connection c = db.getConnection()) {
                        return onReplica(c);
                    }
                }
            }, db);
            assertThat(dao.readOnly()).isTrue();
            assertThat(dao.readWrite()).isFalse();
            List<HostStatus> hosts = db.hosts();
            assertThat(hosts).extracting(HostStatus::role).containsExactly(HostStatus.Role.PRIMARY,
                    HostStatus.Role.REPLICA);
            assertThat(hosts.get(1).routedUnits()).isGreaterThanOrEqualTo(3);
            assertThat(hosts.get(1).lag()).isPresent();
            assertThat(db.health().components()).containsKeys("host:routing", "host:routing-replica-1");
            assertThat(db.health().toJson()).contains("\"role\":\"REPLICA\"", "\"routedUnits\"");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ClusterMetrics.bind(registry, db);
            assertThat(registry.get("bulwark.cluster.units").tag("host", "routing-replica-1").functionCounter().count())
                    .isEqualTo(hosts.get(1).routedUnits());
            assertThat(registry.get("bulwark.cluster.role").tag("host", "routing-replica-1").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("bulwark.cluster.lag").tag("host", "routing-replica-1").gauge().value())
                    .isBetween(0.0, MAX_LAG.toMillis() / 1000.0);
            assertThat(registry.get("bulwark.cluster.fallbacks").tag("host", "routing").functionCounter().count())
                    .isZero();
        }
    }

    static Thread started(Runnable body) {
        Thread t = new Thread(body, "routing-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private long value(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 0")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One read: when it began, what it saw, where it ran. */
    private record Read(long startNanos, long value, boolean replica) {
    }

    @Test
    @Order(2)
    void noReplicaReadIsStalerThanMaxLagPlusTheSampleIntervalAndAPausedReplicaIsPassedOver() throws Exception {
        ConcurrentSkipListMap<Long, Long> acknowledged = new ConcurrentSkipListMap<>(); // value -> ack time
        ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        try (ClusterDataSource db = Bulwark.wrap(primaryPool, Replicas.of(standbyPool), config("staleness"))) {
            awaitReplicaQualifies(db);
            threads.add(started(() -> {
                while (running.get()) {
                    try {
                        long v = db.inTransaction(c -> {
                            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                                    "UPDATE " + table + " SET v = v + 1 WHERE id = 0 RETURNING v")) {
                                rs.next();
                                return rs.getLong(1);
                            }
                        });
                        acknowledged.put(v, System.nanoTime());
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                    LockSupport.parkNanos(2_000_000);
                }
            }));
            for (int r = 0; r < 2; r++) {
                threads.add(started(() -> {
                    while (running.get()) {
                        long start = System.nanoTime();
                        try {
                            reads.add(db.inTransaction(READ, c -> new Read(start, value(c), onReplica(c))));
                        } catch (SQLException e) {
                            throw new AssertionError(e);
                        }
                        LockSupport.parkNanos(3_000_000);
                    }
                }));
            }
            Thread.sleep(1000);
            long pausedAt;
            try (Connection c = standby.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_wal_replay_pause()");
                pausedAt = System.nanoTime();
                Thread.sleep(2500);
                s.execute("SELECT pg_wal_replay_resume()");
            }
            long resumedAt = System.nanoTime();
            Thread.sleep(1000);
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
            long bound = MAX_LAG.plus(INTERVAL).toNanos();
            for (Read read : reads) {
                // Every write acknowledged before (start − bound) must be visible.
                Map.Entry<Long, Long> newest = null;
                for (Map.Entry<Long, Long> e : acknowledged.entrySet()) {
                    if (e.getValue() < read.startNanos() - bound && (newest == null || e.getKey() > newest.getKey())) {
                        newest = e;
                    }
                }
                if (newest != null) {
                    assertThat(read.value()).as("a read begun %d ms after the pause (on the replica: %s) saw %d, "
                                    + "but %d was acknowledged more than maxLag + interval before it",
                            (read.startNanos() - pausedAt) / 1_000_000, read.replica(), read.value(), newest.getKey())
                            .isGreaterThanOrEqualTo(newest.getKey());
                }
            }
            long fallbackWindowStart = pausedAt + bound;
            assertThat(reads).as("reads on the replica before the pause")
                    .anyMatch(r -> r.replica() && r.startNanos() < pausedAt);
            assertThat(reads).as("reads passed over to the primary while replay was paused")
                    .anyMatch(r -> !r.replica() && r.startNanos() > fallbackWindowStart && r.startNanos() < resumedAt);
            assertThat(reads).as("reads back on the replica after replay resumed")
                    .anyMatch(r -> r.replica() && r.startNanos() > resumedAt);
            assertThat(db.hosts().get(0).fallbacks()).isPositive();
        } finally {
            running.set(false);
        }
    }

    @Test
    @Order(3)
    void aClusterWithoutReplicasCostsNoRoundTripMoreThanAPlainWrapAndReplicasCostOneQueryPerWriteUnit()
            throws Exception {
        AtomicLong plainCount = new AtomicLong();
        AtomicLong noneCount = new AtomicLong();
        AtomicLong clusterCount = new AtomicLong();
        Work<Integer> write = c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = 0");
            }
        };
        Work<Long> read = this::value;
        TransactionOptions readWrite = TransactionOptions.defaults();
        // One connection, so that the warm-up unit has set it up and every unit after it is the same.
        try (HikariDataSource one = ScenarioPool.pool(primary.jdbcUrl(), primary, "counted", 1)) {
            countStatements(one, write, read, readWrite, plainCount, noneCount, clusterCount);
        }
    }

    private void countStatements(DataSource primaryPool, Work<Integer> write, Work<Long> read,
                                 TransactionOptions readWrite, AtomicLong plainCount, AtomicLong noneCount,
                                 AtomicLong clusterCount) throws SQLException {
        BulwarkDataSource plain = Bulwark.wrap(counting(primaryPool, plainCount), config("plain"));
        long plainWrite = statementsPerUnit(plain, plainCount, readWrite, write);
        long plainRead = statementsPerUnit(plain, plainCount, READ, read);
        try (ClusterDataSource none = Bulwark.wrap(counting(primaryPool, noneCount), Replicas.none(), config("none"))) {
            assertThat(statementsPerUnit(none, noneCount, readWrite, write)).isEqualTo(plainWrite);
            assertThat(statementsPerUnit(none, noneCount, READ, read)).isEqualTo(plainRead);
        }
        try (ClusterDataSource cluster = Bulwark.wrap(counting(primaryPool, clusterCount), Replicas.of(standbyPool),
                config("counted"))) {
            // Shows that the count sees the position query the router makes after each commit when it has replicas.
            assertThat(statementsPerUnit(cluster, clusterCount, readWrite, write)).isEqualTo(plainWrite + 1);
        }
    }

    private static <T> long statementsPerUnit(BulwarkDataSource db, AtomicLong count, TransactionOptions options,
                                              Work<T> work) throws SQLException {
        db.inTransaction(options, work); // the first connection's setup is not a unit's cost
        long before = count.get();
        for (int i = 0; i < 10; i++) {
            db.inTransaction(options, work);
        }
        long total = count.get() - before;
        assertThat(total % 10).as("the same statements every unit").isZero();
        assertThat(total).as("the count sees the unit's statements").isPositive();
        return total / 10;
    }

    /**
     * {@code target}, counting every statement sent and every commit and rollback on the connections the calling
     * thread gets from it (the units'; not the lag monitor's samples, which run on its own threads).
     */
    static DataSource counting(DataSource target, AtomicLong count) {
        Thread caller = Thread.currentThread();
        InvocationHandler dsHandler = (proxy, m, args) -> {
            Object result = invoke(target, m, args);
            return m.getName().equals("getConnection") && Thread.currentThread() == caller
                    ? countingConnection((Connection) result, count) : result;
        };
        return (DataSource) Proxy.newProxyInstance(ClusterRoutingIT.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, dsHandler);
    }

    private static Connection countingConnection(Connection target, AtomicLong count) {
        return (Connection) Proxy.newProxyInstance(ClusterRoutingIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                    if (m.getName().equals("commit") || m.getName().equals("rollback")) {
                        count.incrementAndGet();
                    }
                    if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
                        return invoke(target, m, args);
                    }
                    Object result = invoke(target, m, args);
                    if (result instanceof PreparedStatement ps) {
                        return countingStatement(ps, PreparedStatement.class, count);
                    }
                    if (result instanceof Statement s) {
                        return countingStatement(s, Statement.class, count);
                    }
                    return result;
                });
    }

    private static Object countingStatement(Statement target, Class<?> type, AtomicLong count) {
        return Proxy.newProxyInstance(ClusterRoutingIT.class.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> {
                    if (m.getName().startsWith("execute")) {
                        count.incrementAndGet();
                    }
                    return invoke(target, m, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    @Order(4)
    void aReplicaKilledMidReadLeavesTheUnitToThePrimaryWithinItsDeadlineAndIsProbedBackIn() throws Exception {
        try (ClusterDataSource db = Bulwark.wrap(primaryPool, Replicas.of(standbyPool), config("killed"))) {
            awaitReplicaQualifies(db);
            TransactionOptions read = READ.toBuilder().withDeadline(Duration.ofSeconds(3)).build();
            AtomicLong attempts = new AtomicLong();
            Thread killer = started(() -> {
                ScenarioPool.await(() -> attempts.get() > 0, Duration.ofSeconds(5), "the read began");
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                standby.crash();
            });
            long start = System.nanoTime();
            boolean ranOnReplica = db.inTransaction(read, c -> {
                attempts.incrementAndGet();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT pg_is_in_recovery(), pg_sleep(0.6)")) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            });
            long elapsed = System.nanoTime() - start;
            killer.join();
            assertThat(ranOnReplica).as("the unit's result came from the primary").isFalse();
            assertThat(attempts.get()).as("begun on the replica, finished on the primary").isGreaterThanOrEqualTo(2);
            assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(3));
            HostStatus replica = db.hosts().get(1);
            assertThat(replica.available()).isFalse();
            assertThat(replica.fallbacks()).isPositive();
            assertThat(db.health().components().get("host:killed-replica-1").status())
                    .isEqualTo(Health.Status.DEGRADED);
            // While it is down, reads run on the primary at once.
            assertThat((boolean) db.inTransaction(read, ClusterRoutingIT::onReplica)).isFalse();
            standby.start();
            awaitReplicaQualifies(db);
            standbyPool.getHikariPoolMXBean().softEvictConnections();
            ScenarioPool.await(() -> {
                try {
                    return db.inTransaction(read, ClusterRoutingIT::onReplica);
                } catch (SQLException e) {
                    return false;
                }
            }, Duration.ofSeconds(10), "reads back on the replica");
        } finally {
            standby.start();
        }
    }
}
