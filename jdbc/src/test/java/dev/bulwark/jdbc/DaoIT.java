package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.annotations.Idempotent;
import dev.bulwark.jdbc.annotations.Retry;
import dev.bulwark.jdbc.annotations.Timeout;
import dev.bulwark.jdbc.annotations.Transactional;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DAO interfaces behind {@code Bulwark.dao}, on a real PostgreSQL. */
class DaoIT {

    interface AccountDao {
        @Transactional
        void transfer(int from, int to, int amount) throws SQLException;

        @Transactional(readOnly = true)
        int balance(int id) throws SQLException;

        @Transactional
        @Retry(maxAttempts = 1)
        void transferOnceOnly(int from, int to, int amount) throws SQLException;

        @Idempotent
        int touch(int id) throws SQLException;

        @Transactional
        @Timeout(500)
        void slow() throws SQLException;

        @Transactional
        void exportTo(String file) throws SQLException, IOException;

        String describe();
    }

    interface Undeclared {
        @Transactional
        void write();
    }

    /** A plain-JDBC DAO: it asks the DataSource for connections, as DAO code written without Bulwark does. */
    static final class JdbcAccountDao implements AccountDao {
        final BulwarkDataSource ds;
        final AtomicInteger calls = new AtomicInteger();
        volatile Runnable beforeCredit = () -> { };

        JdbcAccountDao(BulwarkDataSource ds) {
            this.ds = ds;
        }

        @Override
        public void transfer(int from, int to, int amount) throws SQLException {
            calls.incrementAndGet();
            move(from, -amount);
            beforeCredit.run();
            move(to, amount);
        }

        @Override
        public void transferOnceOnly(int from, int to, int amount) throws SQLException {
            transfer(from, to, amount);
        }

        private void move(int id, int delta) throws SQLException {
            try (Connection c = ds.getConnection();
                 PreparedStatement p = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
                p.setInt(1, delta);
                p.setInt(2, id);
                p.executeUpdate();
            }
        }

        @Override
        public int balance(int id) throws SQLException {
            try (Connection c = ds.getConnection();
                 PreparedStatement p = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
                assertThat(c.isReadOnly()).isTrue();
                p.setInt(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }

        @Override
        public int touch(int id) throws SQLException {
            int n = calls.incrementAndGet();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                if (n == 1) {
                    s.execute("SELECT pg_terminate_backend(pg_backend_pid())"); // the session dies under us
                }
                return s.executeUpdate("UPDATE account SET touched = true WHERE id = " + id);
            }
        }

        @Override
        public void slow() throws SQLException {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_sleep(10)");
            }
        }

        @Override
        public void exportTo(String file) throws IOException {
            throw new IOException("disk gone: " + file);
        }

        @Override
        public String describe() {
            return "jdbc account dao";
        }
    }

    private TestDatabase db;
    private BulwarkDataSource ds;
    private JdbcAccountDao impl;
    private AccountDao dao;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.postgres();
        db.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL CHECK (balance >= 0), "
                + "touched BOOLEAN NOT NULL DEFAULT false)", "INSERT INTO account (id, balance) VALUES (1, 100), (2, 0)");
        ds = Bulwark.wrap(db.dataSource());
        impl = new JdbcAccountDao(ds);
        dao = Bulwark.dao(AccountDao.class, impl, ds);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void aTransactionalMethodCommitsAllOfItsStatementsOrNone() throws SQLException {
        dao.transfer(1, 2, 30);
        assertThat(dao.balance(1)).isEqualTo(70);
        assertThat(dao.balance(2)).isEqualTo(30);
        assertThatThrownBy(() -> dao.transfer(2, 1, 50)).isInstanceOf(SQLException.class); // CHECK fails
        assertThat(dao.balance(1) + dao.balance(2)).isEqualTo(100);
        assertThat(dao.balance(2)).isEqualTo(30);
    }

    @Test
    void aKilledSessionMidMethodIsRetriedWholeAndAppliedOnce() throws SQLException {
        AtomicInteger kills = new AtomicInteger();
        impl.beforeCredit = () -> {
            if (kills.getAndIncrement() == 0) {
                try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND pid <> pg_backend_pid() AND state = 'idle in transaction'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        dao.transfer(1, 2, 10);
        assertThat(impl.calls).hasValue(2);
        assertThat(dao.balance(1)).isEqualTo(90);
        assertThat(dao.balance(2)).isEqualTo(10);
    }

    @Test
    void retryAnnotationCapsAttempts() {
        impl.beforeCredit = () -> {
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid() AND state = 'idle in transaction'");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        assertThatThrownBy(() -> dao.transferOnceOnly(1, 2, 10)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"));
        assertThat(impl.calls).hasValue(1);
    }

    @Test
    void anIdempotentAutocommitMethodIsRetriedAfterAConnectionFault() throws SQLException {
        assertThat(dao.touch(1)).isEqualTo(1);
        assertThat(impl.calls).hasValue(2);
    }

    @Test
    void aTimeoutAnnotationBoundsTheMethod() {
        long start = System.nanoTime();
        assertThatThrownBy(dao::slow).isInstanceOf(SQLTimeoutException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).as("returned long before pg_sleep(10)").isLessThan(5_000);
    }

    @Test
    void theDaosOwnCheckedExceptionsAndPlainMethodsPassThrough() {
        assertThatThrownBy(() -> dao.exportTo("/x")).isInstanceOf(IOException.class).hasMessage("disk gone: /x");
        assertThat(dao.describe()).isEqualTo("jdbc account dao");
    }

    @Test
    void annotatedMethodsMustDeclareSqlExceptionAndTheMessageNamesTheMethod() {
        assertThatThrownBy(() -> Bulwark.dao(Undeclared.class, () -> { }, ds))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Undeclared.write").hasMessageContaining("throws SQLException");
        assertThatThrownBy(() -> Bulwark.dao(JdbcAccountDao.class, impl, ds))
                .hasMessageContaining("needs an interface");
    }
}
