package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Units of work on real PostgreSQL, MariaDB and SQLite behind HikariCP. */
class UnitOfWorkIT {

    interface DbFactory {
        TestDatabase open() throws Exception;
    }

    static Stream<DbFactory> databases() {
        return Stream.of(TestDatabases::postgres, TestDatabases::mariadb, TestDatabases::sqlite);
    }

    static HikariDataSource pool(TestDatabase db, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        if (db.user() != null) {
            c.setUsername(db.user());
            c.setPassword(db.password());
        }
        c.setMaximumPoolSize(size);
        c.setPoolName("uow-" + db.engine());
        return new HikariDataSource(c);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void commitsOnSuccessAndRollsBackOnFailure(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = pool(db, 2)) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            int result = ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO t VALUES (1)");
                }
            });
            assertThat(result).isEqualTo(1);
            assertThatThrownBy(() -> ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t VALUES (2)");
                }
                throw new IllegalStateException("business rule");
            })).isInstanceOf(IllegalStateException.class);
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM t")).isEqualTo(1);
            }
            try (Connection c = pool.getConnection()) {
                assertThat(c.getAutoCommit()).as("the pooled connection is back in autocommit").isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void constraintViolationIsNeverRetriedAndSurfacesAsTheJdkType(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = pool(db, 2)) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(pool).withListener(events::add).build();
            AtomicInteger attempts = new AtomicInteger();
            SQLException e = (SQLException) org.assertj.core.api.Assertions.catchThrowable(() -> ds.inTransaction(c -> {
                attempts.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO t VALUES (1)");
                }
            }));
            assertThat((Throwable) e).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThat(attempts).hasValue(1);
            assertThat(events).noneMatch(ev -> ev instanceof PolicyEvent.RetryScheduled);
            if (db.engine() != TestDatabase.Engine.SQLITE) {
                assertThat(e.getSQLState()).startsWith("23");
            }
            assertThatThrownBy(() -> ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("SELEC 1");
                }
            })).isInstanceOf(SQLSyntaxErrorException.class);
        }
    }

    @Test
    void sessionKilledMidUnitIsRetriedOnANewConnectionAndAppliedOnce() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, 2)) {
            db.execute("CREATE TABLE t (id SERIAL PRIMARY KEY, note TEXT)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            List<Integer> pids = new ArrayList<>();
            String note = ds.inTransaction(c -> {
                int pid = (int) count(c, "SELECT pg_backend_pid()");
                pids.add(pid);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t (note) VALUES ('once')");
                }
                if (pids.size() == 1) {
                    try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                        s.execute("SELECT pg_terminate_backend(" + pid + ")");
                    }
                    count(c, "SELECT 1"); // the killed session fails here, mid-unit
                }
                return "done";
            });
            assertThat(note).isEqualTo("done");
            assertThat(pids).hasSize(2).doesNotHaveDuplicates();
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM t")).isEqualTo(1);
            }
        }
    }

    @Test
    void concurrentSerializableIncrementsAllSucceedAndNoneIsLost() throws Exception {
        int threads = 8;
        int perThread = 10;
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, threads)) {
            db.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO counter VALUES (1, 0)");
            BulwarkConfig config = BulwarkConfig.builder()
                    .withRetry(BulwarkConfig.defaults().retry().toBuilder().withMaxAttempts(50).build())
                    .withBreaker(BulwarkConfig.defaults().breaker().toBuilder().withEnabled(false).build()).build();
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(pool).withConfig(config).withListener(events::add).build();
            TransactionOptions serializable = TransactionOptions.builder()
                    .withIsolation(Connection.TRANSACTION_SERIALIZABLE).build();
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(exec.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            ds.inTransaction(serializable, c -> {
                                long n = count(c, "SELECT n FROM counter WHERE id = 1");
                                try (PreparedStatement p = c.prepareStatement("UPDATE counter SET n = ? WHERE id = 1")) {
                                    p.setLong(1, n + 1);
                                    return p.executeUpdate();
                                }
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                exec.shutdownNow();
            }
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT n FROM counter WHERE id = 1")).isEqualTo(threads * perThread);
            }
            assertThat(events).anyMatch(e -> e instanceof PolicyEvent.RetryScheduled);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theUnitOwnsItsBoundariesAndDaoCodeJoinsThroughGetConnection(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = pool(db, 2)) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            // A refused commit()/rollback()/setAutoCommit(true) leaves the unit rollback-only: RefusedCommitInUnitIT.
            for (ThrowingConsumer<Connection> escape : List.<ThrowingConsumer<Connection>>of(Connection::commit,
                    Connection::rollback, c -> c.setAutoCommit(true))) {
                assertThatThrownBy(() -> ds.inTransaction(c -> {
                    assertThatThrownBy(() -> escape.accept(c)).hasMessageContaining("belongs to a unit of work");
                    return null;
                })).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25000"));
            }
            ds.inTransaction(c -> {
                try (Connection dao = ds.getConnection(); Statement s = dao.createStatement()) {
                    assertThat(dao).isSameAs(c); // plain-JDBC DAO code joins the unit
                    s.executeUpdate("INSERT INTO t VALUES (1)");
                }
                ds.inTransaction(inner -> { // a nested unit joins the outer one
                    assertThat(inner).isSameAs(c);
                    try (Statement s = inner.createStatement()) {
                        return s.executeUpdate("INSERT INTO t VALUES (2)");
                    }
                });
                try (Connection other = db.connect()) {
                    assertThat(count(other, "SELECT count(*) FROM t")).as("not visible before the commit").isZero();
                }
                return null;
            });
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM t")).isEqualTo(2);
            }
        }
    }

    @Test
    void eightSqliteWritersThroughOnePoolNeverSeeDatabaseIsLocked() throws Exception {
        int threads = 8;
        int perThread = 40;
        try (TestDatabase db = TestDatabases.sqlite(); HikariDataSource pool = pool(db, threads)) {
            db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, writer INT NOT NULL)",
                    "CREATE TABLE total (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO total VALUES (1, 0)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int writer = t;
                    futures.add(exec.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            try {
                                ds.inTransaction(c -> {
                                    long n = count(c, "SELECT n FROM total WHERE id = 1"); // read, then write: the
                                    try (Statement s = c.createStatement()) {            // classic upgrade deadlock
                                        s.executeUpdate("INSERT INTO ledger (writer) VALUES (" + writer + ")");
                                        return s.executeUpdate("UPDATE total SET n = " + (n + 1) + " WHERE id = 1");
                                    }
                                });
                            } catch (SQLException | RuntimeException e) {
                                failures.add(e);
                            }
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                exec.shutdownNow();
            }
            assertThat(failures).as("no failure (such as SQLITE_BUSY, database is locked) reaches the caller").isEmpty();
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM ledger")).isEqualTo(threads * perThread);
                assertThat(count(c, "SELECT n FROM total WHERE id = 1")).isEqualTo(threads * perThread);
                assertThat(count(c, "PRAGMA busy_timeout")).as("busy_timeout set on pooled connections").isPositive();
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void maxRowsGuardAndFetchSizeApplyToEveryStatement() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, 2)) {
            db.execute("CREATE TABLE t AS SELECT generate_series(1, 50) AS id");
            BulwarkConfig config = BulwarkConfig.builder().withJdbc(dev.bulwark.core.JdbcConfig.builder()
                    .withMaxRows(10).withFetchSize(5).build()).build();
            BulwarkDataSource ds = Bulwark.wrap(pool, config);
            int rows = ds.inTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
                    assertThat(s.getFetchSize()).isEqualTo(5);
                    int n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    return n;
                }
            });
            assertThat(rows).isEqualTo(10);
        }
    }

    /** Regression: a connection lost after a successful COMMIT (while restoring autocommit) ran the unit twice. */
    @Test
    void aConnectionLostAfterASuccessfulCommitDoesNotRunTheUnitAgain() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            javax.sql.DataSource real = db.dataSource();
            // Each connection breaks when asked to go back to autocommit, i.e. just after a COMMIT succeeded.
            javax.sql.DataSource breaksAfterCommit = new org.postgresql.ds.PGSimpleDataSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    Connection c = real.getConnection();
                    return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                                if (method.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0])) {
                                    c.close();
                                    throw new SQLException("An I/O error occurred while sending to the backend.",
                                            "08006");
                                }
                                try {
                                    return method.invoke(c, args);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                }
            };
            BulwarkDataSource ds = Bulwark.wrap(breaksAfterCommit);
            AtomicInteger attempts = new AtomicInteger();
            int inserted = ds.inTransaction(c -> {
                attempts.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO applied VALUES (1)");
                }
            });
            assertThat(inserted).isEqualTo(1);
            assertThat(attempts).as("a committed unit is never run again").hasValue(1);
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM applied")).isEqualTo(1);
            }
        }
    }

    @Test
    void theApplicationsOwnSqlExceptionReachesTheCallerUnchanged() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            SQLException own = new SQLException("account 1 would be overdrawn", "23514");
            AtomicInteger attempts = new AtomicInteger();
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> ds.inTransaction(c -> {
                attempts.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t VALUES (1)");
                }
                throw own;
            }));
            assertThat(thrown).isSameAs(own).hasMessage("account 1 would be overdrawn");
            assertThat(attempts).as("a constraint failure is still never retried").hasValue(1);
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM t")).as("rolled back").isZero();
            }
        }
    }
}
