package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * docs/transactions.md: "A unit whose commit acknowledgement is lost returns by its deadline plus one second ...
 * resolution ... waits for a connection no longer than that". Over a DataSource that is not HikariCP (a driver's
 * own DataSource, DBCP, Agroal, ...) the resolution's connection comes from {@code target.getConnection()} with no
 * bound at all: a server that accepts TCP but stops answering holds the unit for as long as the driver's login
 * takes (pgjdbc without socketTimeout/loginTimeout: forever).
 */
class CommitDeadlineUnpooledIT {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration NOISE = Duration.ofMillis(400);
    private static final Duration GIVE_UP = Duration.ofSeconds(20);

    @Test
    void aLostCommitOverANonHikariDataSourceWithTheServerSilentReturnsByDeadlinePlusOneSecond() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE applied (id INT NOT NULL)",
                    "CREATE FUNCTION slow_check() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$",
                    "CREATE CONSTRAINT TRIGGER slow_at_commit AFTER INSERT ON applied DEFERRABLE INITIALLY DEFERRED"
                            + " FOR EACH ROW EXECUTE FUNCTION slow_check()");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSourceVia(proxy.host(), proxy.port()));
            ds.inTransaction(c -> 0);
            long start = System.nanoTime();
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
                try {
                    ds.inTransaction(TransactionOptions.builder().withDeadline(DEADLINE).build(), c -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("INSERT INTO applied VALUES (1)");
                        }
                        LockSupport.parkNanos(DEADLINE.minusMillis(400).toNanos());
                        timer.schedule(() -> proxy.blackhole(true), 300, TimeUnit.MILLISECONDS);
                        return 1;
                    });
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable e;
            try {
                e = call.get(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                e = null;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            proxy.blackhole(false);

            assertThat(took).as("returned within the deadline + %s (outcome: %s)", GRACE, e)
                    .isLessThanOrEqualTo(DEADLINE.plus(GRACE).plus(NOISE));
            assertThat(e).isInstanceOf(SQLException.class);
            assertThat(((SQLException) e).getSQLState()).isEqualTo("08007");
        } finally {
            timer.shutdownNow();
        }
    }
}
