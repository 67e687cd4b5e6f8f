package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Transactions the application runs itself on a connection from {@code getConnection()} (Spring's transaction
 * manager, Flyway, any {@code jdbc:bulwark:} user): a {@code commit()} whose acknowledgement is lost on a real
 * wire is resolved like a unit's, or reported 08007, never as an error that invites a retry; a statement lost
 * inside such a transaction is reported as rolled back, not as a write of unknown outcome.
 */
class PlainCommitIT {

    private static HikariDataSource pool(TestDatabase db, FaultProxy proxy) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrlVia(proxy.host(), proxy.port()));
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(1); // resolution must not need a second pooled connection
        c.setConnectionTimeout(5_000);
        c.setPoolName("plain-" + db.engine());
        return new HikariDataSource(c);
    }

    private static BulwarkConfig config(CommitResolution mode) {
        return BulwarkConfig.builder().withJdbc(JdbcConfig.builder().withCommitResolution(mode)
                .withCreateCommitLedger(true).build()).build();
    }

    private static void insert(Connection c, int unit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO applied (unit) VALUES (?)")) {
            p.setInt(1, unit);
            p.executeUpdate();
        }
    }

    private static long count(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void lostPlainCommitThatLandedIsReportedCommitted(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE applied (unit INT NOT NULL)");
        List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.start(db.host(), db.port()); HikariDataSource pool = pool(db, proxy)) {
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(config(CommitResolution.AUTO))
                    .withListener(events::add).build();
            ds.inTransaction(c -> {
                insert(c, 0); // warms up: resolver chosen, ledger created where needed
                return null;
            });
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                proxy.cutOnCommit(1);
                c.commit(); // the acknowledgement is lost; the commit landed
            }
            assertThat(proxy.stats().commitsCut()).isEqualTo(1);
            assertThat(events).filteredOn(JdbcEvent.CommitResolved.class::isInstance).singleElement()
                    .extracting(e -> ((JdbcEvent.CommitResolved) e).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        }
        assertThat(count(db)).isEqualTo(2);
    }

    @Test
    void postgresPlainCommitWhoseAcknowledgementIsLostIsResolved() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            lostPlainCommitThatLandedIsReportedCommitted(db);
        }
    }

    @Test
    void mariadbPlainCommitWhoseAcknowledgementIsLostIsResolvedThroughTheLedger() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            lostPlainCommitThatLandedIsReportedCommitted(db);
        }
    }

    @Test
    void aLostCommitThroughTheBulwarkUrlIsResolved() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            try (FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
                String url = "jdbc:bulwark:" + db.jdbcUrlVia(proxy.host(), proxy.port()).substring("jdbc:".length());
                try (Connection c = java.sql.DriverManager.getConnection(url, db.connectionProperties())) {
                    c.setAutoCommit(false);
                    insert(c, 1);
                    proxy.cutOnCommit(1);
                    c.commit(); // what BenchBase, Flyway and Spring's transaction manager do
                }
                assertThat(proxy.stats().commitsCut()).isEqualTo(1);
            }
            assertThat(count(db)).isEqualTo(1);
        }
    }

    @Test
    void withResolutionOffALostPlainCommitIs08007() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            try (FaultProxy proxy = FaultProxy.start(db.host(), db.port()); HikariDataSource pool = pool(db, proxy)) {
                BulwarkDataSource ds = Bulwark.wrap(pool, config(CommitResolution.OFF));
                SQLException e;
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    insert(c, 1);
                    proxy.cutOnCommit(1);
                    e = catchThrowableOfType(SQLException.class, c::commit);
                }
                assertThat((Throwable) e).isNotNull();
                assertThat(e.getSQLState()).isEqualTo("08007");
            }
            assertThat(count(db)).as("it did commit").isEqualTo(1);
        }
    }

    @Test
    void aReadOnlyPlainTransactionCommitsWithoutAResolutionToken() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            try (FaultProxy proxy = FaultProxy.start(db.host(), db.port()); HikariDataSource pool = pool(db, proxy)) {
                // The ledger's marker row cannot be written in a read-only transaction (Spring's readOnly = true).
                BulwarkDataSource ds = Bulwark.wrap(pool, config(CommitResolution.LEDGER));
                for (int i = 0; i < 2; i++) {
                    try (Connection c = ds.getConnection()) {
                        c.setReadOnly(true);
                        c.setAutoCommit(false);
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
                            rs.next();
                        }
                        c.commit();
                        c.setAutoCommit(true);
                        c.setReadOnly(false);
                    }
                }
                assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("nothing was evicted").isEqualTo(1);
            }
        }
    }

    @Test
    void aWriteLostInsideAnOpenTransactionIsReportedRolledBack() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO t VALUES (1, 0)");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSourceVia(proxy.host(), proxy.port()));
            CompletableFuture<Integer> cut = CompletableFuture.supplyAsync(() -> {
                try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                    for (int i = 0; i < 500; i++) {
                        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = "
                                + "'active' AND query LIKE '%tx_marker%' AND pid <> pg_backend_pid()")) {
                            rs.next();
                            if (rs.getInt(1) > 0) {
                                return proxy.cutAllConnections();
                            }
                        }
                    }
                    return 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            SQLException e;
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate(
                            "UPDATE t SET n = n + 1 WHERE pg_sleep(0.5) IS NOT NULL /* tx_marker */"));
                }
            }
            assertThat(cut.get()).as("the connection was cut while the UPDATE ran").isEqualTo(1);
            assertThat(e.getSQLState()).startsWith("08").isNotEqualTo("08007");
            assertThat((Throwable) e).hasMessageContaining("rolled back");
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT n FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
