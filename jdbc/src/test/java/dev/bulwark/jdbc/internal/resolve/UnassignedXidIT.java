package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.JdbcEvent;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A unit that wrote nothing costs no transaction id (and no commit record) for its resolution token, and
 * its lost COMMIT is safely run again; a deferred trigger that writes still makes the unit resolvable.
 */
class UnassignedXidIT {

    @Test
    void unitsThatWriteNothingConsumeNoTransactionIds() throws Exception {
        try (ScratchPostgres server = ScratchPostgres.primary();
             HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres")) {
            BulwarkDataSource ds = Bulwark.wrap(pool);
            ds.inTransaction(c -> select1(c)); // resolver chosen
            long before = nextXid(server);

            for (int i = 0; i < 200; i++) {
                ds.inTransaction(c -> select1(c));
            }

            // On a private server nothing else takes xids but autovacuum, now and then.
            assertThat(nextXid(server) - before).as("xids consumed by 200 units of SELECT 1").isLessThan(20);
        }
    }

    @Test
    void aUnitThatWroteNothingAndLostItsCommitRunsAgain() throws Exception {
        // A private server: a deferrable trigger anywhere in the database would make the unit take an xid.
        try (ScratchPostgres server = ScratchPostgres.primary();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", server.port());
             HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres")) {
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(pool).withListener(events::add).build();
            ds.inTransaction(c -> select1(c));
            proxy.cutOnCommit(1);
            AtomicInteger attempts = new AtomicInteger();

            int result = ds.inTransaction(c -> {
                attempts.incrementAndGet();
                return select1(c);
            });

            assertThat(result).isEqualTo(1);
            assertThat(proxy.stats().commitsCut()).isEqualTo(1);
            assertThat(attempts).as("nothing was written, so it simply runs again").hasValue(2);
            assertThat(events).filteredOn(JdbcEvent.CommitResolved.class::isInstance).singleElement()
                    .extracting(e -> ((JdbcEvent.CommitResolved) e).outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
        }
    }

    @Test
    void aDeferredTriggerThatWritesIsNotRunTwiceAfterALostCommit() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port());
             HikariDataSource pool = pool(db.jdbcUrlVia(proxy.host(), proxy.port()))) {
            db.execute("CREATE TABLE queue (id INT NOT NULL)", "CREATE TABLE audit (id INT NOT NULL)",
                    "CREATE FUNCTION audit_at_commit() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN INSERT INTO audit VALUES (NEW.id); RETURN NULL; END $$",
                    "CREATE CONSTRAINT TRIGGER audited AFTER INSERT ON queue DEFERRABLE INITIALLY DEFERRED"
                            + " FOR EACH ROW EXECUTE FUNCTION audit_at_commit()");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            ds.inTransaction(c -> select1(c));
            for (int unit = 1; unit <= 5; unit++) {
                int u = unit;
                proxy.cutOnCommit(1);
                AtomicInteger attempts = new AtomicInteger();
                ds.inTransaction(c -> {
                    attempts.incrementAndGet();
                    try (Statement s = c.createStatement()) {
                        select1(c);
                        return s.executeUpdate("INSERT INTO queue VALUES (" + u + ")");
                    }
                });
                assertThat(attempts).as("unit %d: its commit landed, so it is not run again", u).hasValue(1);
            }
            assertThat(count(db, "SELECT count(*) FROM queue")).isEqualTo(5);
            assertThat(count(db, "SELECT count(*) FROM audit")).as("each trigger's write exactly once").isEqualTo(5);
        }
    }

    private static int select1(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The next xid the server will hand out; reading it assigns none. */
    private static long nextXid(ScratchPostgres server) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.url("postgres"), "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
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

    private static HikariDataSource pool(String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername("postgres");
        c.setMaximumPoolSize(2);
        c.setConnectionTimeout(3_000);
        return new HikariDataSource(c);
    }
}
