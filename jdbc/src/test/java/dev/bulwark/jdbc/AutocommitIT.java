package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Autocommit statements on connections from {@code getConnection()}, with a real cut on the wire while the
 * statement runs on the server: a lost write is reported as 08007 (it may have been applied), a lost read as
 * a plain connection failure (safe to run again).
 */
class AutocommitIT {

    private static CompletableFuture<Integer> cutWhenRunning(TestDatabase db, FaultProxy proxy, String marker) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                for (int i = 0; i < 500; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                            + "AND query LIKE '%" + marker + "%' AND pid <> pg_backend_pid()")) {
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

    @Test
    void anAutocommitWriteLostInFlightIs08007() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO t VALUES (1, 0)");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSourceVia(proxy.host(), proxy.port()));
            CompletableFuture<Integer> cut = cutWhenRunning(db, proxy, "write_marker");
            SQLException e;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate(
                        "UPDATE t SET n = n + 1 WHERE pg_sleep(0.5) IS NOT NULL /* write_marker */"));
            }
            assertThat(cut.get()).as("the connection was cut while the UPDATE ran").isEqualTo(1);
            assertThat(e.getSQLState()).isEqualTo("08007");
            assertThat((Throwable) e).hasMessageContaining("may or may not have been applied");
        }
    }

    @Test
    void anAutocommitReadLostInFlightIsAPlainConnectionFailure() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
             FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            BulwarkDataSource ds = Bulwark.wrap(db.dataSourceVia(proxy.host(), proxy.port()));
            CompletableFuture<Integer> cut = cutWhenRunning(db, proxy, "read_marker");
            SQLException e;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                e = catchThrowableOfType(SQLException.class,
                        () -> s.executeQuery("SELECT pg_sleep(0.5) /* read_marker */"));
            }
            assertThat(cut.get()).isEqualTo(1);
            assertThat(e.getSQLState()).startsWith("08").isNotEqualTo("08007");
            assertThat((Throwable) e).isInstanceOf(java.sql.SQLRecoverableException.class);
        }
    }
}
