package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A backend that is still committing (waiting for a synchronous standby, running deferred triggers) is never
 * terminated by commit resolution: terminating it makes PostgreSQL keep the commit without replication, or
 * kills a slow commit on every attempt. Resolution polls instead, and answers 08007 when its budget ends.
 */
class CommittingBackendIT {

    private static final String SYNC_REP_WAITERS =
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'";

    @Test
    void doesNotTerminateABackendWaitingForTheSynchronousStandby() throws Exception {
        syncStandbyNeverAnswers(BulwarkConfig.defaults());
    }

    @Test
    void theLedgerDoesNotEndASessionWaitingForTheSynchronousStandby() throws Exception {
        syncStandbyNeverAnswers(BulwarkConfig.builder().withJdbc(JdbcConfig.builder()
                .withCommitResolution(CommitResolution.LEDGER).withCreateCommitLedger(true).build()).build());
    }

    private static void syncStandbyNeverAnswers(BulwarkConfig config) throws Exception {
        try (ScratchPostgres primary = ScratchPostgres.primary()) {
            primary.execute("CREATE TABLE applied (unit INT NOT NULL)");
            try (FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port());
                 HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres")) {
                BulwarkDataSource ds = Bulwark.wrap(pool, config);
                ds.inTransaction(c -> 0); // resolver chosen (and ledger created) before the standby stops answering
                // A synchronous standby that never answers: every COMMIT that wrote waits in SyncRep.
                primary.execute("ALTER SYSTEM SET synchronous_standby_names = 'absent_standby'",
                        "SELECT pg_reload_conf()");
                // The reload reaches each backend asynchronously: wait until new sessions see it, then let the
                // unit run on a new session.
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (count(primary, "SELECT count(*) FROM pg_settings WHERE name = 'synchronous_standby_names'"
                        + " AND setting = 'absent_standby'") == 0 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                pool.getHikariPoolMXBean().softEvictConnections();
                proxy.cutOnCommit(1);
                AtomicInteger attempts = new AtomicInteger();
                long start = System.nanoTime();

                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                        TransactionOptions.builder().withDeadline(Duration.ofSeconds(3)).build(), c -> {
                            attempts.incrementAndGet();
                            try (Statement s = c.createStatement()) {
                                return s.executeUpdate("INSERT INTO applied VALUES (1)");
                            }
                        }));

                assertThat((Object) e).as("a commit waiting for its standby is unresolved, never reported committed")
                        .isNotNull();
                assertThat(e.getSQLState()).isEqualTo("08007");
                assertThat(attempts).hasValue(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
                assertThat(count(primary, SYNC_REP_WAITERS)).as("the committing backend still waits, alive")
                        .isEqualTo(1);
            } finally {
                primary.execute("ALTER SYSTEM RESET synchronous_standby_names", "SELECT pg_reload_conf()");
            }
        }
    }

    @Test
    void aCommitSlowerThanTheCommitTimeoutCommitsOnceWhenTheBudgetAllows() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            slowCommitTable(db, 2);
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource(), commitTimeout(Duration.ofSeconds(1)));
            AtomicInteger attempts = new AtomicInteger();

            int result = ds.inTransaction(TransactionOptions.builder().withDeadline(Duration.ofSeconds(10)).build(),
                    c -> {
                        attempts.incrementAndGet();
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate("INSERT INTO slow VALUES (1)");
                        }
                    });

            assertThat(result).isEqualTo(1);
            assertThat(attempts).as("the slow commit is not killed and run again").hasValue(1);
            assertThat(count(db, "SELECT count(*) FROM slow")).isEqualTo(1);
        }
    }

    @Test
    void aCommitSlowerThanTheWholeBudgetIs08007AndIsNotKilled() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            slowCommitTable(db, 4);
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource(), commitTimeout(Duration.ofSeconds(1)));
            AtomicInteger attempts = new AtomicInteger();

            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withDeadline(Duration.ofSeconds(2)).build(), c -> {
                        attempts.incrementAndGet();
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate("INSERT INTO slow VALUES (1)");
                        }
                    }));

            assertThat((Object) e).isNotNull();
            assertThat(e.getSQLState()).as(stackOf(e)).isEqualTo("08007");
            assertThat(attempts).hasValue(1);
            // The commit goes on and lands: nobody killed it.
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (count(db, "SELECT count(*) FROM slow") == 0 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(count(db, "SELECT count(*) FROM slow")).isEqualTo(1);
        }
    }

    private static String stackOf(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    private static void slowCommitTable(TestDatabase db, int seconds) throws SQLException {
        db.execute("CREATE TABLE slow (id INT NOT NULL)",
                "CREATE FUNCTION slow_check() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN PERFORM pg_sleep(" + seconds + "); RETURN NULL; END $$",
                "CREATE CONSTRAINT TRIGGER slow_at_commit AFTER INSERT ON slow DEFERRABLE INITIALLY DEFERRED"
                        + " FOR EACH ROW EXECUTE FUNCTION slow_check()");
    }

    private static BulwarkConfig commitTimeout(Duration commit) {
        return BulwarkConfig.builder().withTimeouts(TimeoutConfig.builder().withCommit(commit).build()).build();
    }

    private static HikariDataSource pool(String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername("postgres");
        c.setMaximumPoolSize(2);
        c.setConnectionTimeout(3_000);
        return new HikariDataSource(c);
    }

    private static long count(ScratchPostgres server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.url("postgres"), "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
