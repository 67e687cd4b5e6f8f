package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A commit whose acknowledgement is lost on a real wire (FaultProxy cuts the connection right after the
 * COMMIT reached the server) is resolved: reported committed exactly once when it landed, run again when it
 * did not, and reported as 08007 when resolution is off. A table without a key makes any blind replay show
 * up as a duplicate row.
 */
class AmbiguousCommitIT {

    private static HikariDataSource pool(TestDatabase db, FaultProxy proxy) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrlVia(proxy.host(), proxy.port()));
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(1); // resolution must not need a second pooled connection
        c.setConnectionTimeout(5_000);
        c.setPoolName("ambiguous-" + db.engine());
        return new HikariDataSource(c);
    }

    private static BulwarkConfig config(CommitResolution mode) {
        return BulwarkConfig.builder().withJdbc(JdbcConfig.builder().withCommitResolution(mode)
                .withCreateCommitLedger(true).build()).build();
    }

    private static int insert(Connection c, int unit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO applied (unit) VALUES (?)")) {
            p.setInt(1, unit);
            return p.executeUpdate();
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void committedCommitIsReportedOnce(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE applied (unit INT NOT NULL)");
        List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.start(db.host(), db.port()); HikariDataSource pool = pool(db, proxy)) {
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(config(CommitResolution.AUTO))
                    .withListener(events::add).build();
            ds.inTransaction(c -> insert(c, 0)); // warms up: resolver chosen, ledger created where needed
            proxy.cutOnCommit(1);
            AtomicInteger attempts = new AtomicInteger();
            int result = ds.inTransaction(c -> {
                attempts.incrementAndGet();
                return insert(c, 1);
            });
            assertThat(result).isEqualTo(1);
            assertThat(proxy.stats().commitsCut()).isEqualTo(1);
            assertThat(attempts).as("a commit that landed is not run again").hasValue(1);
            assertThat(events).filteredOn(JdbcEvent.CommitResolved.class::isInstance)
                    .singleElement().extracting(e -> ((JdbcEvent.CommitResolved) e).outcome())
                    .isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(count(db, "SELECT count(*) FROM applied WHERE unit = 1")).isEqualTo(1);
    }

    @Test
    void postgresCommitThatLandedIsReportedCommittedOnce() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            committedCommitIsReportedOnce(db);
        }
    }

    @Test
    void mariadbCommitThatLandedIsReportedCommittedOnceThroughTheLedger() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            committedCommitIsReportedOnce(db);
        }
    }

    @Test
    void commitLostBeforeItReachedTheServerIsRunAgain() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            // The connection dies just before COMMIT is sent: the server rolls the transaction back.
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(7)
                    .on(ChaosRule.atCommit().withCall(1).closeConnection()).build());
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(chaos).withListener(events::add).build();
            AtomicInteger attempts = new AtomicInteger();
            ds.inTransaction(c -> {
                attempts.incrementAndGet();
                return insert(c, 1);
            });
            assertThat(attempts).hasValue(2);
            assertThat(events).filteredOn(JdbcEvent.CommitResolved.class::isInstance).singleElement()
                    .extracting(e -> ((JdbcEvent.CommitResolved) e).outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
            assertThat(count(db, "SELECT count(*) FROM applied")).isEqualTo(1);
        }
    }

    @Test
    void withResolutionOffALostCommitIs08007AndNeverReplayed() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            try (FaultProxy proxy = FaultProxy.start(db.host(), db.port()); HikariDataSource pool = pool(db, proxy)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, config(CommitResolution.OFF));
                proxy.cutOnCommit(1);
                AtomicInteger attempts = new AtomicInteger();
                SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
                    attempts.incrementAndGet();
                    return insert(c, 1);
                }));
                assertThat(e.getSQLState()).isEqualTo("08007");
                assertThat(attempts).hasValue(1);
            }
            assertThat(count(db, "SELECT count(*) FROM applied")).as("it did commit; it was not replayed").isEqualTo(1);
        }
    }

    private void manyUnitsWithCutCommits(TestDatabase db, int units) throws Exception {
        db.execute("CREATE TABLE applied (unit INT NOT NULL)");
        List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(db.host(), db.port()).withSeed(42).start();
             HikariDataSource pool = pool(db, proxy)) {
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(config(CommitResolution.AUTO))
                    .withListener(events::add).build();
            ds.inTransaction(c -> 0); // choose the resolver (and create the ledger) before cutting
            proxy.cutCommits(0.10);
            for (int unit = 1; unit <= units; unit++) {
                int u = unit;
                int applied = ds.inTransaction(c -> insert(c, u));
                assertThat(applied).isEqualTo(1);
            }
            proxy.stopCuttingCommits();
            assertThat(proxy.stats().commitsCut()).as("about 10% of commits were cut").isBetween(units / 20L, units / 5L);
        }
        assertThat(count(db, "SELECT count(*) FROM applied")).isEqualTo(units);
        assertThat(count(db, "SELECT count(DISTINCT unit) FROM applied")).as("no unit applied twice").isEqualTo(units);
        // Each cut is resolved one way or the other, never left unknown. NOT_COMMITTED happens when the
        // resolver finds the old transaction still in progress and ends its session before the server read
        // the buffered COMMIT; the unit then runs again, and the counts above prove it applied once.
        List<BulwarkEvent> resolved = events.stream().filter(JdbcEvent.CommitResolved.class::isInstance).toList();
        assertThat(resolved).hasSizeGreaterThanOrEqualTo(units / 20)
                .allMatch(e -> ((JdbcEvent.CommitResolved) e).outcome() != CommitOutcome.UNKNOWN);
    }

    @Test
    void postgresThousandUnitsWithTenPercentOfCommitsCutApplyEachExactlyOnce() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            manyUnitsWithCutCommits(db, 1000);
        }
    }

    @Test
    void mariadbThousandUnitsWithTenPercentOfCommitsCutApplyEachExactlyOnce() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            manyUnitsWithCutCommits(db, 1000);
        }
    }
}
