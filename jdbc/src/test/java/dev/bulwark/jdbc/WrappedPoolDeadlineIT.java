package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A HikariCP pool behind a wrapper of its own (as Spring's delegating DataSources, a tracing or test wrapper put
 * it): Bulwark can only ask the wrapper's {@code getConnection()}, which waits HikariCP's whole
 * {@code connectionTimeout}. A unit's wait for a connection is still bounded by what is left of its deadline
 * (fault schedules 12 and 20: the retry after a commit phase lost to a frozen server waited the pool's 5 s).
 */
class WrappedPoolDeadlineIT {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** A lost commit may take the commit grace past the deadline (docs/transactions.md). */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Scheduling noise on a shared 2-core machine. */
    private static final Duration NOISE = Duration.ofMillis(400);

    @Test
    void theRetryAfterAServerFrozeInTheCommitPhaseWaitsForAConnectionNoLongerThanTheDeadline() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port());
             HikariDataSource pool = pool(db, db.jdbcUrlVia(proxy.host(), proxy.port()), "wrapped-frozen", 2)) {
            db.execute("CREATE TABLE applied (id INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(new Delegating(pool));
            ds.inTransaction(c -> c.isValid(1)); // the pool is started and resolution chosen

            long start = System.nanoTime();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withDeadline(DEADLINE).build(), c -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("INSERT INTO applied VALUES (1)");
                        }
                        // From here on the server answers nothing: the commit phase's first round trip is lost,
                        // the attempt is retried, and the pool can neither validate its idle connection nor
                        // open a new one.
                        proxy.blackhole(true);
                        return 1;
                    }));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            proxy.blackhole(false);
            proxy.cutAllConnections(); // the pool's connect stuck in the blackhole ends now, not at its login timeout

            assertThat((Object) e).as("a unit on a server that stopped answering").isNotNull();
            assertThat(took).as("the unit (deadline %s, HikariCP connectionTimeout 5 s) failed with %s", DEADLINE, e)
                    .isLessThanOrEqualTo(DEADLINE.plus(GRACE).plus(NOISE));
            assertThat(e.getSQLState()).as("no COMMIT was sent: %s", e).isNotEqualTo("08007");
            assertThat(count(db)).as("rows of a unit reported failed").isZero();
        }
    }

    @Test
    void aSaturatedWrappedPoolIsExhaustedAfterTheAcquireTimeoutNotTheConnectionTimeout() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, db.jdbcUrl(), "wrapped-busy", 1)) {
            BulwarkDataSource ds = Bulwark.wrap(new Delegating(pool), BulwarkConfig.builder().withName("wrapped-busy")
                    .withTimeouts(TimeoutConfig.builder().withAcquire(Duration.ofSeconds(1)).build()).build());
            try (Connection held = ds.getConnection()) {
                long start = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class, ds::getConnection);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat((Throwable) e).as("getConnection on a pool whose only connection is held").isNotNull();
                assertThat(took).as("waited with bulwark.timeout.acquire=1s, connectionTimeout=5s: %s", e)
                        .isLessThanOrEqualTo(Duration.ofSeconds(1).plus(NOISE));
                assertThat(e.getSQLState()).as("%s", e).isEqualTo("53400");
                assertThat(held.isValid(1)).isTrue();
            }
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).as("a connection once the held one is back").isTrue();
            }
        }
    }

    private static long count(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HikariDataSource pool(TestDatabase db, String url, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionTimeout(5_000); // longer than the deadline: Bulwark must bound the wait
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
