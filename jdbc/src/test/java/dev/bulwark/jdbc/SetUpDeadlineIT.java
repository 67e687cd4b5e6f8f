package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What Bulwark sends on a connection before lending it (reading the session's {@code statement_timeout} the first
 * time it sees a physical connection, inspecting the database until a commit resolver is chosen) ends within the
 * caller's deadline, although a HikariCP connection has no network timeout of its own: a server that stops
 * answering just then must not hold the unit (before: it waited for an answer forever).
 */
class SetUpDeadlineIT {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** Scheduling noise on a shared 2-core machine. */
    private static final Duration NOISE = Duration.ofMillis(400);
    /** How long the test waits for the unit before it calls it hung. */
    private static final long HUNG_SECONDS = 15;

    @Test
    void theSetUpOfAConnectionNotSeenBeforeEndsByTheDeadlineOnAServerThatStoppedAnswering() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port());
             HikariDataSource pool = pool(db, db.jdbcUrlVia(proxy.host(), proxy.port()))) {
            try (HikariDataSource other = pool(db, db.jdbcUrl())) {
                Bulwark.wrap(other).inTransaction(c -> 1); // loads the classes a first unit needs: not the subject
            }
            BulwarkDataSource ds = Bulwark.wrap(pool); // it has seen no connection yet
            try (Connection c = pool.getConnection()) {
                // used just now: HikariCP lends it next without checking it (its 500 ms liveness bypass)
                assertThat(c.isValid(1)).isTrue();
            }
            proxy.blackhole(true);
            long[] took = new long[1];
            CompletableFuture<Object> unit = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try {
                    return ds.inTransaction(TransactionOptions.builder().withDeadline(DEADLINE).build(), c -> 1);
                } catch (SQLException e) {
                    return e;
                } finally {
                    took[0] = System.nanoTime() - start;
                }
            });
            Object outcome;
            try {
                outcome = unit.get(HUNG_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException hung) {
                outcome = "still waiting after " + HUNG_SECONDS + " s";
            } catch (ExecutionException e) {
                outcome = e.getCause();
            } finally {
                proxy.blackhole(false);
                proxy.cutAllConnections(); // releases a unit still waiting for an answer
            }
            assertThat(outcome).as("the unit on a server that stopped answering").isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(took[0])).as("the unit (deadline %s) ended with %s", DEADLINE, outcome)
                    .isLessThanOrEqualTo(DEADLINE.plus(NOISE));
        }
    }

    private static HikariDataSource pool(TestDatabase db, String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(1);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5_000);
        c.setValidationTimeout(250);
        return new HikariDataSource(c);
    }
}
