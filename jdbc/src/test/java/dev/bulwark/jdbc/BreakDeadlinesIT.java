package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.PostgresCluster;
import com.zaxxer.hikari.HikariConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adversarial review of the deadline fixes (issue 12, items 12-17, 21): calls that outlive their deadline. */
class BreakDeadlinesIT {

    private static final Logger LOG = LoggerFactory.getLogger(BreakDeadlinesIT.class);

    /** Documented: a statement ends at most 100 ms after the deadline; a rollback gets at least 1 s; 0.5 s noise. */
    private static final long SLACK_MS = 100 + 1_000 + 500;
    /**
     * Documented (transactions.md): the watchdog aborts a call still in flight 150 ms past its bound, looking every
     * 50 ms; 0.5 s of scheduling noise on a loaded machine.
     */
    private static final long WATCHDOG_SLACK_MS = 150 + 50 + 500;

    @Test
    void aResultSetFetchLateInAUnitReturnsAtTheUnitsDeadline() throws Exception {
        // A cursor-based ResultSet (fetchSize in a transaction) reads the next rows from the server in next(),
        // long after the statement was executed and its network timeout set to what was left then.
        try (PostgresCluster cluster = PostgresCluster.builder().start();
             HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, "fetch-freeze", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("fetch-freeze").build());
            Duration deadline = Duration.ofSeconds(4);
            TransactionOptions unit = TransactionOptions.builder().withDeadline(deadline).withMaxAttempts(1).build();
            long start = System.nanoTime();
            try {
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(unit, c -> {
                    try (Statement s = c.createStatement()) {
                        s.setFetchSize(10);
                        try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 100000) g")) {
                            for (int i = 0; i < 10; i++) {
                                assertThat(rs.next()).isTrue();
                            }
                            java.util.concurrent.locks.LockSupport.parkNanos(3_500_000_000L);
                            cluster.freeze();
                            int n = 0;
                            while (rs.next()) {
                                n++;
                            }
                            return n;
                        }
                    }
                }));
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: server frozen 3.5 s into a 4 s unit, before a ResultSet fetch; the unit "
                        + "returned after {} ms: {}", elapsedMs, e);
                assertThat((Throwable) e).as("a unit whose server froze before a fetch").isNotNull();
                // Documented (transactions.md, "Deadlines on a hung server"): every call that waits for the database,
                // a ResultSet fetch included, returns by the deadline plus the watchdog's slack.
                assertThat(elapsedMs).as("ms until the unit returned (deadline %s)", deadline)
                        .isLessThan(deadline.toMillis() + WATCHDOG_SLACK_MS);
                assertThat(e.getSQLState()).as("SQLState of a fetch past the deadline").isEqualTo("HYT00");
            } finally {
                cluster.thaw();
            }
        }
    }

    /**
     * A minimal pool that is not HikariCP (as DBCP or an application server's pool would): close() returns the
     * driver's connection to the idle list as it is, abort() drops it.
     */
    static final class SimplePool implements DataSource {
        final DataSource driver;
        final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
        final List<Connection> all = new CopyOnWriteArrayList<>();

        SimplePool(DataSource driver) {
            this.driver = driver;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection physical;
            while ((physical = idle.poll()) != null && physical.isClosed()) {
                // dropped
            }
            if (physical == null) {
                physical = driver.getConnection();
                all.add(physical);
            }
            Connection p = physical;
            boolean[] closed = {false};
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "close" -> {
                                if (!closed[0]) {
                                    closed[0] = true;
                                    if (!p.isClosed()) {
                                        if (!p.getAutoCommit()) {
                                            p.rollback();
                                            p.setAutoCommit(true);
                                        }
                                        idle.add(p);
                                    }
                                }
                                return null;
                            }
                            case "isClosed" -> {
                                return closed[0] || p.isClosed();
                            }
                            default -> {
                                try {
                                    return m.invoke(p, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            }
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("not supported");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void theResolutionConnectionsNetworkTimeoutDoesNotLeakToOtherBorrowersOfANonHikariPool() throws Exception {
        // docs/transactions.md: "with another pool Bulwark restores it itself before releasing the connection".
        // The resolver's connection gets a network timeout bounded by the resolution budget (acquireForResolution)
        // and goes back to the pool with it.
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            SimplePool pool = new SimplePool(db.dataSourceVia(proxy.host(), proxy.port()));
            int original;
            try (Connection direct = pool.getConnection()) {
                original = direct.getNetworkTimeout();
            }
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(BulwarkConfig.builder().withName("simple-pool")
                    .withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.AUTO).build()).build()).withListener(events::add).build();
            ds.inTransaction(c -> {
                insert(c, 0);
                return null;
            });
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                proxy.cutOnCommit(1);
                c.commit(); // lost acknowledgement: resolved on a second connection from the pool
            }
            assertThat(proxy.stats().commitsCut()).isEqualTo(1);
            assertThat(events).filteredOn(JdbcEvent.CommitResolved.class::isInstance).singleElement()
                    .extracting(e -> ((JdbcEvent.CommitResolved) e).outcome()).isEqualTo(CommitOutcome.COMMITTED);
            List<Integer> timeouts = new ArrayList<>();
            for (Connection physical : pool.idle) {
                timeouts.add(physical.getNetworkTimeout());
            }
            LOG.info("FIGURE leak: network timeouts of the non-HikariCP pool's idle connections after a resolved "
                    + "plain commit: {} (the driver's own: {})", timeouts, original);
            assertThat(timeouts).as("network timeouts of the pool's idle connections").isNotEmpty()
                    .allMatch(t -> t == original);
        }
    }

    private static void insert(Connection c, int unit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO applied (unit) VALUES (?)")) {
            p.setInt(1, unit);
            p.executeUpdate();
        }
    }

    @Test
    void theUsersMariadbSocketTimeoutBoundsAUnitWithALongerDeadline() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            HikariConfig c = new HikariConfig();
            String url = db.jdbcUrlVia(proxy.host(), proxy.port());
            c.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "socketTimeout=2000");
            if (db.user() != null) {
                c.setUsername(db.user());
                c.setPassword(db.password());
            }
            c.setMaximumPoolSize(1);
            c.setConnectionTimeout(500);
            c.setValidationTimeout(250);
            c.setPoolName("maria-socket");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("maria-socket").build());
                TransactionOptions unit = TransactionOptions.builder().withDeadline(Duration.ofSeconds(20))
                        .withMaxAttempts(1).build();
                long start = System.nanoTime();
                try {
                    SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(unit, conn -> {
                        try (Statement s = conn.createStatement()) {
                            s.execute("SELECT 1");
                            proxy.blackhole(true);
                            return s.execute("SELECT 2");
                        }
                    }));
                    long elapsedMs = ScenarioPool.millisSince(start);
                    LOG.info("FIGURE deadline: MariaDB URL socketTimeout=2000, 20 s unit, blackholed; returned after "
                            + "{} ms: {}", elapsedMs, e);
                    assertThat((Throwable) e).isNotNull();
                    // the statement's read (2 s) and the rollback (at most socketTimeout too), 0.5 s noise
                    assertThat(elapsedMs).as("ms until a 20 s unit returned, socketTimeout=2000").isLessThan(4_500);
                } finally {
                    proxy.blackhole(false);
                }
            }
        }
    }

    @Test
    void getConnectionThroughTheBulwarkUrlOnAFrozenServerReturnsWithinTheAcquireTimeout() throws Exception {
        // docs/jdbc.md: acquiring a connection is retried after connection faults, "all within
        // bulwark.timeout.acquire". The jdbc:bulwark: driver's own connect has no login timeout: on a server
        // that accepts TCP but never answers, pgjdbc (socketTimeout 0 by default) waits for the start-up reply.
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            String url = "jdbc:bulwark:" + cluster.jdbcUrl().substring("jdbc:".length())
                    + (cluster.jdbcUrl().contains("?") ? "&" : "?") + "bulwark.timeout.acquire=2s&bulwark.name=url-frozen";
            java.util.Properties p = cluster.connectionProperties();
            try (Connection c = DriverManager.getConnection(url, p)) {
                assertThat(c.isValid(1)).isTrue();
            }
            cluster.freeze();
            java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "frozen-connect");
                t.setDaemon(true);
                return t;
            });
            try {
                long start = System.nanoTime();
                java.util.concurrent.Future<Object> f = exec.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url, p)) {
                        return "connected";
                    } catch (SQLException e) {
                        return e;
                    }
                });
                Object outcome;
                try {
                    outcome = f.get(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    outcome = "still waiting after 15 s";
                }
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: jdbc:bulwark: getConnection on a frozen server, acquire=2s: {} after {} ms",
                        outcome, elapsedMs);
                assertThat(outcome).as("getConnection on a frozen server").isInstanceOf(SQLException.class);
                assertThat(elapsedMs).as("ms until getConnection returned (acquire 2 s)").isLessThan(2_500);
            } finally {
                cluster.thaw();
                exec.shutdownNow();
            }
        }
    }

    @Test
    void manyWaitersOnAPoolOfOneWhoseConnectionLeaksAreTold53400WithinTheAcquireTimeout() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrl());
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setMaximumPoolSize(1);
            c.setConnectionTimeout(6_000);
            c.setPoolName("leaky");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("leaky")
                        .withTimeouts(dev.bulwark.core.TimeoutConfig.builder().withAcquire(Duration.ofSeconds(1))
                                .build()).build());
                ds.inTransaction(conn -> null); // warm
                Connection leaked = pool.getConnection();
                try {
                    java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newFixedThreadPool(4);
                    List<java.util.concurrent.Future<String>> results = new ArrayList<>();
                    long start = System.nanoTime();
                    for (int i = 0; i < 4; i++) {
                        int n = i;
                        results.add(exec.submit(() -> {
                            try {
                                if (n % 2 == 0) {
                                    ds.inTransaction(conn -> null);
                                } else {
                                    ds.getConnection().close();
                                }
                                return "ok";
                            } catch (SQLException e) {
                                return e.getSQLState() + " " + e.getClass().getSimpleName();
                            }
                        }));
                    }
                    List<String> outcomes = new ArrayList<>();
                    for (var f : results) {
                        outcomes.add(f.get(20, java.util.concurrent.TimeUnit.SECONDS));
                    }
                    long elapsedMs = ScenarioPool.millisSince(start);
                    Health health = ds.health();
                    LOG.info("FIGURE saturation: 4 waiters, pool of 1 leaked, acquire=1s: {} after {} ms; health {}",
                            outcomes, elapsedMs, health.toJson());
                    assertThat(outcomes).allMatch(o -> o.startsWith("53400"));
                    assertThat(elapsedMs).isLessThan(1_000 + 500);
                    assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
                    exec.shutdownNow();
                } finally {
                    leaked.close();
                }
                String after = ds.inTransaction(conn -> "after");
                assertThat(after).isEqualTo("after");
                assertThat(ds.health().status()).isEqualTo(Health.Status.UP);
            }
        }
    }

    private interface UnitBody {
        void run(Connection c, BulwarkDataSource ds) throws Exception;
    }

    /** A 4 s unit: a statement at once, then 3.5 s of client work, then the server freezes before {@code late}. */
    private static long lateFreeze(String name, UnitBody late) throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start();
             HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, name, 1)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName(name).build());
            Duration deadline = Duration.ofSeconds(4);
            TransactionOptions unit = TransactionOptions.builder().withDeadline(deadline).withMaxAttempts(1).build();
            // Read again as the work begins: the unit's deadline began before that (at the attempt's start), so
            // time the test thread loses before the attempt on a busy machine does not count against the bound.
            long[] start = {System.nanoTime()};
            try {
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(unit, c -> {
                    start[0] = System.nanoTime();
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(3_500_000_000L);
                    cluster.freeze();
                    try {
                        late.run(c, ds);
                    } catch (SQLException | RuntimeException x) {
                        throw x;
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                    return null;
                }));
                long elapsedMs = ScenarioPool.millisSince(start[0]);
                LOG.info("FIGURE deadline: {}: server frozen 3.5 s into a 4 s unit; the unit returned {} ms after its work began: {}",
                        name, elapsedMs, String.valueOf(e));
                assertThat((Throwable) e).as("a unit whose server froze 3.5 s in").isNotNull();
                return elapsedMs;
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void aNestedUnitLateInAUnitReturnsAtTheUnitsDeadlineWhenTheServerFreezes() throws Exception {
        // The nested unit's SAVEPOINT is Bulwark's own statement (Session.runOwn), sent past the shrinking.
        long elapsedMs = lateFreeze("nested-freeze", (c, ds) -> {
            ds.inTransaction(inner -> null);
        });
        assertThat(elapsedMs).as("ms until the unit returned (deadline 4 s)").isLessThan(4_000 + SLACK_MS);
    }

    @Test
    void theWorksOwnSavepointLateInAUnitReturnsAtTheUnitsDeadlineWhenTheServerFreezes() throws Exception {
        long elapsedMs = lateFreeze("savepoint-freeze", (c, ds) -> c.setSavepoint());
        assertThat(elapsedMs).as("ms until the unit returned (deadline 4 s)").isLessThan(4_000 + SLACK_MS);
    }

    @Test
    void getConnectionThroughTheBulwarkUrlToABlackholedMariadbReturnsWithinTheAcquireTimeout() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            String target = db.jdbcUrlVia(proxy.host(), proxy.port());
            String url = "jdbc:bulwark:" + target.substring("jdbc:".length())
                    + (target.contains("?") ? "&" : "?") + "bulwark.timeout.acquire=2s&bulwark.name=maria-url-bh";
            java.util.Properties p = db.connectionProperties();
            try (Connection c = DriverManager.getConnection(url, p)) {
                assertThat(c.isValid(1)).isTrue();
            }
            proxy.blackhole(true);
            java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "blackholed-connect");
                t.setDaemon(true);
                return t;
            });
            try {
                long start = System.nanoTime();
                java.util.concurrent.Future<Object> f = exec.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url, p)) {
                        return "connected";
                    } catch (SQLException e) {
                        return e;
                    }
                });
                Object outcome;
                try {
                    outcome = f.get(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    outcome = "still waiting after 15 s";
                }
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: jdbc:bulwark:mariadb getConnection, blackholed, acquire=2s: {} after {} ms",
                        outcome, elapsedMs);
                assertThat(outcome).as("getConnection through a blackhole").isInstanceOf(SQLException.class);
                assertThat(elapsedMs).as("ms until getConnection returned (acquire 2 s)").isLessThan(2_500);
            } finally {
                proxy.blackhole(false);
                exec.shutdownNow();
            }
        }
    }

    @Test
    void unitsThatFailDoNotLeaveTheirNetworkTimeoutOnANonHikariPoolsConnections() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            SimplePool pool = new SimplePool(db.dataSource());
            int original;
            try (Connection direct = pool.getConnection()) {
                original = direct.getNetworkTimeout();
            }
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("simple-units").build());
            TransactionOptions unit = TransactionOptions.builder().withDeadline(Duration.ofSeconds(5)).build();
            catchThrowableOfType(IllegalStateException.class, () -> ds.inTransaction(unit, c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                throw new IllegalStateException("the work fails");
            }));
            catchThrowableOfType(SQLException.class, () -> ds.inAutoCommit(unit, c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("SELECT no_such_column");
                }
            }));
            ds.inTransaction(unit, c -> null);
            List<Integer> timeouts = new ArrayList<>();
            for (Connection physical : pool.idle) {
                timeouts.add(physical.getNetworkTimeout());
            }
            LOG.info("FIGURE leak: network timeouts of a non-HikariCP pool's idle connections after failed units: {}",
                    timeouts);
            assertThat(timeouts).isNotEmpty().allMatch(t -> t == original);
        }
    }

    @Test
    void aPoolWhoseConnectionsAreAllBrokenIsAConnectionFaultNotAnExhaustedPool() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start();
             HikariDataSource pool = ScenarioPool.pool(cluster.jdbcUrl(), cluster, "all-broken", 2)) {
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("all-broken")
                    .withTimeouts(dev.bulwark.core.TimeoutConfig.builder().withAcquire(Duration.ofSeconds(1)).build())
                    .build());
            ds.inTransaction(c -> null);
            cluster.freeze();
            try {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L); // idle past HikariCP's 500 ms
                long start = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.getConnection().close());
                long elapsedMs = ScenarioPool.millisSince(start);
                Health health = ds.health();
                LOG.info("FIGURE saturation: pool of 2 on a frozen server: getConnection after {} ms: {}; health {}",
                        elapsedMs, String.valueOf(e), health.toJson());
                assertThat((Throwable) e).isNotNull();
                assertThat(e.getSQLState()).as("SQLState of a pool whose connections are all broken")
                        .isNotEqualTo("53400");
                assertThat(health.status()).isEqualTo(Health.Status.DOWN);
                assertThat(elapsedMs).isLessThan(1_000 + 500);
            } finally {
                cluster.thaw();
            }
        }
    }

    @Test
    void aLongResultStreamedByALiveServerEndsAtTheDeadline() throws Exception {
        // A server that keeps sending rows never lets the network timeout fire, and setQueryTimeout takes whole
        // seconds past the deadline: the watchdog aborts the connection of the call still in flight.
        try (TestDatabase db = TestDatabases.postgres()) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrl());
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setMaximumPoolSize(1);
            c.setPoolName("stream");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("stream").build());
                ds.inAutoCommit(TransactionOptions.defaults(), conn -> null);
                Duration deadline = Duration.ofMillis(2_100);
                TransactionOptions unit = TransactionOptions.builder().withDeadline(deadline).withMaxAttempts(1).build();
                long start = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inAutoCommit(unit, conn -> {
                    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
                            "SELECT g, pg_sleep(0.0005) FROM generate_series(1, 40000) g")) {
                        int n = 0;
                        while (rs.next()) {
                            n++;
                        }
                        return n;
                    }
                }));
                long elapsedMs = ScenarioPool.millisSince(start);
                LOG.info("FIGURE deadline: a 20 s result streamed by a live server, 2.1 s unit: returned after {} ms: {}",
                        elapsedMs, String.valueOf(e));
                assertThat((Throwable) e).isNotNull();
                assertThat(elapsedMs).as("ms until the unit returned (deadline 2.1 s)")
                        .isLessThan(deadline.toMillis() + WATCHDOG_SLACK_MS);
            }
        }
    }

    @Test
    void metadataLateInAUnitReturnsAtTheUnitsDeadline() throws Exception {
        long elapsedMs = lateFreeze("metadata-freeze", (c, ds) -> {
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
                rs.next();
            }
        });
        assertThat(elapsedMs).as("ms until the unit returned (deadline 4 s)").isLessThan(4_000 + WATCHDOG_SLACK_MS);
    }

    @Test
    void getTransactionIsolationLateInAUnitReturnsAtTheUnitsDeadline() throws Exception {
        long elapsedMs = lateFreeze("isolation-freeze", (c, ds) -> c.getTransactionIsolation());
        assertThat(elapsedMs).as("ms until the unit returned (deadline 4 s)").isLessThan(4_000 + WATCHDOG_SLACK_MS);
    }
}
