package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * How a unit ends when the driver misbehaves on the way out, on real PostgreSQL: the connection's
 * {@code rollback()} fails (without rolling back) or its {@code close()} throws a RuntimeException. The
 * failure is injected at the driver's surface; the transaction, the commit and the rows are real.
 */
class UnitEndIT {

    /** A DataSource whose connections fail rollback() and/or throw from close() (after closing for real). */
    private static DataSource faulty(DataSource real, boolean rollbackFails, boolean closeThrows) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection c = real.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (rollbackFails && method.getName().equals("rollback") && args == null) {
                                throw new SQLException("injected: rollback failed and did not roll back", "XX000");
                            }
                            Object result;
                            try {
                                result = method.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                            if (closeThrows && method.getName().equals("close")) {
                                throw new IllegalStateException("injected: close() threw after closing");
                            }
                            return result;
                        });
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    private static long rows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(Connection c, int unit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO applied (unit) VALUES (?)")) {
            p.setInt(1, unit);
            p.executeUpdate();
        }
    }

    @Test
    void aFailedRollbackNeverCommitsTheAbandonedTransaction() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(faulty(db.dataSource(), true, false));
            AtomicInteger attempts = new AtomicInteger();
            int result = ds.inTransaction(c -> {
                int attempt = attempts.incrementAndGet();
                insert(c, attempt);
                if (attempt == 1) {
                    // A retryable failure: the unit is rolled back (here the rollback fails) and run again.
                    throw new SQLTransactionRollbackException("serialization failure in the work", "40001");
                }
                return attempt;
            });
            assertThat(result).isEqualTo(2);
            assertThat(rows(db)).as("the abandoned attempt was not committed on its way out").isEqualTo(1);
        }
    }

    @Test
    void aCloseThatThrowsAfterTheCommitDoesNotFailTheCommittedUnit() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(faulty(db.dataSource(), false, true));
            AtomicInteger attempts = new AtomicInteger();
            int result = ds.inTransaction(c -> {
                insert(c, attempts.incrementAndGet());
                return 7;
            });
            assertThat(result).isEqualTo(7);
            assertThat(attempts).hasValue(1);
            assertThat(rows(db)).isEqualTo(1);
        }
    }
}
