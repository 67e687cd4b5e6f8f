package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 12 item 10's counterpart: a write sent through {@code executeQuery} (PostgreSQL's
 * {@code INSERT ... RETURNING}, what ORMs and JdbcTemplate use for generated keys) in autocommit mode whose
 * connection is lost while it runs. The server applies it; the report must be 08007, never a retry.
 */
class AutoCommitQueryWriteIT {

    private static CompletableFuture<Integer> cutWhileActive(TestDatabase db, FaultProxy proxy) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                for (int i = 0; i < 1000; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = "
                            + "'active' AND query LIKE '%rq_marker%' AND pid <> pg_backend_pid()")) {
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
    }

    private static int rows(TestDatabase db) throws Exception {
        Thread.sleep(1_000); // the backend finishes the statement after the cut
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anAutoCommitUnitsInsertReturningLostInFlightIsNotRunTwice() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSourceVia(proxy.host(), proxy.port()));
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<Integer> cut = cutWhileActive(db, proxy);
            Throwable failure = catchThrowable(() -> ds.inAutoCommit(TransactionOptions.builder().build(), c -> {
                attempts.incrementAndGet();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "INSERT INTO applied SELECT 1 FROM pg_sleep(0.5) RETURNING unit /* rq_marker */")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }));
            assertThat(cut.get()).as("cut while the INSERT ran").isGreaterThan(0);
            int rows = rows(db);
            assertThat(rows).as("rows after %s attempts (%s)", attempts.get(), failure).isLessThanOrEqualTo(1);
            if (failure != null && rows == 1) {
                assertThat(((SQLException) failure).getSQLState()).as("%s", failure).isEqualTo("08007");
            }
        }
    }

    @Test
    void aPlainAutoCommitInsertReturningLostInFlightIs08007() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSourceVia(proxy.host(), proxy.port()));
            CompletableFuture<Integer> cut = cutWhileActive(db, proxy);
            Throwable failure;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                failure = catchThrowable(() -> s.executeQuery(
                        "INSERT INTO applied SELECT 1 FROM pg_sleep(0.5) RETURNING unit /* rq_marker */").close());
            }
            assertThat(cut.get()).as("cut while the INSERT ran").isGreaterThan(0);
            assertThat(rows(db)).isEqualTo(1);
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).as("%s", failure).isEqualTo("08007");
        }
    }
}
