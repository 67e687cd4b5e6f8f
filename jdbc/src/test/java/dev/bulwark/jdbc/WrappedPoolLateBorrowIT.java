package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Adversarial (review R1): docs/transactions.md, deadlines section: "At most four borrows per connection the pool
 * may hold wait in the pool after their callers gave up; beyond that a caller fails at once", and "a connection
 * that arrives later goes back to the pool". Callers that arrive together at a wrapped HikariCP pool whose only
 * connection is held all pass the cap's check before any of them has given up.
 */
class WrappedPoolLateBorrowIT {

    private static final int CALLERS = 24;

    @Test
    void concurrentCallersThatGaveUpLeaveAtMostFourBorrowsPerConnectionWaitingInThePool() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, "late-borrows", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(new Delegating(pool), BulwarkConfig.builder().withName("late-borrows")
                    .withTimeouts(TimeoutConfig.builder().withAcquire(Duration.ofMillis(300)).build()).build());
            Connection held = pool.getConnection(); // the pool's only connection, held outside Bulwark
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> outcomes = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    outcomes.add(callers.submit(() -> {
                        go.await();
                        try (Connection c = ds.getConnection()) {
                            return "lent";
                        } catch (SQLException e) {
                            return e.getSQLState();
                        }
                    }));
                }
                go.countDown();
                for (Future<String> outcome : outcomes) {
                    assertThat(outcome.get()).as("a caller of a pool whose only connection is held").isNotEqualTo("lent");
                }
                // Every caller has given up; what still waits in the pool are the late borrows.
                int waiting = pool.getHikariPoolMXBean().getThreadsAwaitingConnection();
                assertThat(waiting).as("borrows still waiting in a pool of 1 after %d callers gave up", CALLERS)
                        .isLessThanOrEqualTo(4);
            } finally {
                held.close();
                callers.shutdownNow();
            }
            // The late borrows take the connection one after the other and give it back: nothing leaks.
            long until = System.nanoTime() + 10_000_000_000L;
            while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            Thread.sleep(100);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections lent late and kept").isZero();
        }
    }

    @Test
    void oneAfterAnotherCallersBeyondTheCapFailAtOnceAndLateConnectionsGoBackToThePool() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, "late-borrows-seq", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(new Delegating(pool), BulwarkConfig.builder()
                    .withName("late-borrows-seq")
                    .withTimeouts(TimeoutConfig.builder().withAcquire(Duration.ofMillis(200)).build()).build());
            try (Connection held = pool.getConnection()) {
                for (int i = 0; i < 6; i++) {
                    long start = System.nanoTime();
                    String state;
                    try (Connection c = ds.getConnection()) {
                        state = "lent";
                    } catch (SQLException e) {
                        state = e.getSQLState();
                    }
                    assertThat(state).as("caller %d", i).isNotEqualTo("lent");
                    assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection())
                            .as("borrows waiting after caller %d gave up", i).isLessThanOrEqualTo(4);
                }
                assertThat(held.isValid(1)).isTrue();
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            Thread.sleep(100);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections lent late and kept").isZero();
            assertThat(pool.getHikariPoolMXBean().getIdleConnections()).as("the pool's connection, back").isEqualTo(1);
        }
    }

    private static HikariDataSource pool(TestDatabase db, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionTimeout(30_000);
        c.setValidationTimeout(250);
        c.setPoolName(name);
        return new HikariDataSource(c);
    }

    /** A DataSource that only delegates to the pool, as Spring's {@code DelegatingDataSource} does. */
    private record Delegating(DataSource target) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return target.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(target) ? iface.cast(target) : target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(target) || target.isWrapperFor(iface);
        }
    }
}
