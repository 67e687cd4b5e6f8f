package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The documented bound: a unit whose commit acknowledgement is lost returns by its deadline + 1 s, COMMIT and
 * resolution included, even when the server stops answering during resolution.
 */
class CommitDeadlineIT {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Scheduling noise on a shared 2-core machine; the bound itself is the deadline plus the grace. */
    private static final Duration NOISE = Duration.ofMillis(400);

    @Test
    void aCommitLostLateInTheUnitWithTheServerSilentDuringResolutionReturnsByDeadlinePlusOneSecond()
            throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port());
             HikariDataSource pool = pool(db.jdbcUrlVia(proxy.host(), proxy.port()), db)) {
            // A COMMIT that runs long on the server (a deferred trigger), so the hang starts with COMMIT in flight.
            db.execute("CREATE TABLE applied (id INT NOT NULL)",
                    "CREATE FUNCTION slow_check() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$",
                    "CREATE CONSTRAINT TRIGGER slow_at_commit AFTER INSERT ON applied DEFERRABLE INITIALLY DEFERRED"
                            + " FOR EACH ROW EXECUTE FUNCTION slow_check()");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            ds.inTransaction(c -> 0);
            long start = System.nanoTime();

            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withDeadline(DEADLINE).build(), c -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("INSERT INTO applied VALUES (1)");
                        }
                        // The work ends late in the unit; once COMMIT is on its way the server stops answering,
                        // for the resolution's connections too.
                        LockSupport.parkNanos(DEADLINE.minusMillis(400).toNanos());
                        timer.schedule(() -> proxy.blackhole(true), 300, TimeUnit.MILLISECONDS);
                        return 1;
                    }));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat((Object) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("08007");
            assertThat(took).as("returned within the deadline + %s", GRACE)
                    .isLessThanOrEqualTo(DEADLINE.plus(GRACE).plus(NOISE));
            proxy.blackhole(false);
        } finally {
            timer.shutdownNow();
        }
    }

    private static HikariDataSource pool(String url, TestDatabase db) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(3);
        c.setMinimumIdle(3); // resolution finds an open connection whose server then stays silent
        c.setConnectionTimeout(5_000);
        c.setValidationTimeout(250);
        return new HikariDataSource(c);
    }
}
