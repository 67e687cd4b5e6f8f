package dev.bulwark.core;

import static dev.bulwark.core.MatrixRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The PostgreSQL classification matrix: each row makes the real server raise the error. Left out: a wrong
 * password (28P01), which needs a password-authenticated cluster; the shared one trusts loopback.
 */
class PostgresClassificationIT {

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stopExecutor() {
        EXECUTOR.shutdownNow();
    }

    @TestFactory
    Stream<DynamicTest> classifiesRealPostgresErrors() {
        FaultClassifier classifier = Faults.forDialect(Dialect.POSTGRESQL);
        return rows().stream().map(r -> r.toTest("PostgreSQL", classifier));
    }

    @Test
    void detectsTheDialectFromTheUrlAndTheServer() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = db.connect()) {
            assertThat(Dialect.fromJdbcUrl(db.jdbcUrl())).isEqualTo(Dialect.POSTGRESQL);
            assertThat(Dialect.fromMetaData(c.getMetaData())).isEqualTo(Dialect.POSTGRESQL);
        }
    }

    private static List<MatrixRow> rows() {
        return List.of(
                row("unique violation", FaultKind.CONSTRAINT, "23505", 0, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
                    db.execute("INSERT INTO t VALUES (1)");
                })),
                row("foreign-key violation", FaultKind.CONSTRAINT, "23503", 0, () -> withDb(db -> {
                    db.execute("CREATE TABLE parent (id int PRIMARY KEY)",
                            "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id))");
                    db.execute("INSERT INTO child VALUES (1, 42)");
                })),
                row("not-null violation", FaultKind.CONSTRAINT, "23502", 0, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)");
                    db.execute("INSERT INTO t (id) VALUES (1)");
                })),
                row("serialization failure: two SERIALIZABLE transactions update one row", FaultKind.TRANSIENT,
                        "40001", 0, () -> withDb(PostgresClassificationIT::serializationFailure)),
                row("deadlock: two connections lock two rows in opposite order", FaultKind.TRANSIENT,
                        "40P01", 0, () -> withDb(PostgresClassificationIT::deadlock)),
                row("lock_timeout while another connection holds the row", FaultKind.TRANSIENT, "55P03", 0,
                        () -> withDb(PostgresClassificationIT::lockTimeout)),
                row("statement_timeout during pg_sleep", FaultKind.TIMEOUT, "57014", 0, () -> withDb(db -> {
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.execute("SET statement_timeout = '100ms'");
                        s.execute("SELECT pg_sleep(10)");
                    }
                })),
                row("Statement.cancel during pg_sleep", FaultKind.TIMEOUT, "57014", 0,
                        () -> withDb(PostgresClassificationIT::cancel)),
                row("pg_terminate_backend, then the next call", FaultKind.CONNECTION, Set.of("57P01", "08006"),
                        () -> withDb(PostgresClassificationIT::terminated)),
                row("connection refused on a closed port", FaultKind.CONNECTION, "08001", 0, () -> {
                    int port;
                    try (ServerSocket socket = new ServerSocket(0)) {
                        port = socket.getLocalPort();
                    }
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/test", "postgres", "")
                            .close();
                }),
                row("INSERT in a READ ONLY transaction", FaultKind.READ_ONLY, "25006", 0, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id int)");
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        c.setAutoCommit(false);
                        s.execute("SET TRANSACTION READ ONLY");
                        s.execute("INSERT INTO t VALUES (1)");
                    }
                })),
                row("too many connections for a role with CONNECTION LIMIT 1", FaultKind.RESOURCE, "53300", 0,
                        () -> withDb(PostgresClassificationIT::tooManyConnections)),
                row("syntax error", FaultKind.PROGRAMMING, "42601", 0, () -> withDb(db -> db.execute("SELEC 1"))),
                row("undefined table", FaultKind.PROGRAMMING, "42P01", 0,
                        () -> withDb(db -> db.execute("SELECT * FROM no_such_table"))),
                row("division by zero", FaultKind.PROGRAMMING, "22012", 0,
                        () -> withDb(db -> db.execute("SELECT 1 / 0"))),
                row("permission denied for a role without grants", FaultKind.PERMISSION, "42501", 0,
                        () -> withDb(PostgresClassificationIT::permissionDenied)),
                row("bad password (a scram-sha-256 cluster of the test's own)", FaultKind.PERMISSION, "28P01", 0,
                        PostgresClassificationIT::badPassword));
    }

    private static void serializationFailure(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE account (id int PRIMARY KEY, balance int)", "INSERT INTO account VALUES (1, 100)");
        try (Connection a = db.connect(); Connection b = db.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            for (Connection c : List.of(a, b)) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            sa.executeQuery("SELECT balance FROM account WHERE id = 1").close();
            sb.executeQuery("SELECT balance FROM account WHERE id = 1").close();
            sa.executeUpdate("UPDATE account SET balance = balance - 10 WHERE id = 1");
            a.commit();
            sb.executeUpdate("UPDATE account SET balance = balance - 20 WHERE id = 1");
        }
    }

    private static void deadlock(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t VALUES (1, 0), (2, 0)");
        try (Connection a = db.connect(); Connection b = db.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            for (Statement s : List.of(sa, sb)) {
                s.getConnection().setAutoCommit(false);
                s.execute("SET deadlock_timeout = '100ms'");
            }
            sa.executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
            sb.executeUpdate("UPDATE t SET v = 1 WHERE id = 2");
            // a victim keeps its locks until it rolls back, so each side rolls back at once when it is chosen
            Future<Integer> first = EXECUTOR.submit(() -> {
                try {
                    return sa.executeUpdate("UPDATE t SET v = 2 WHERE id = 2");
                } catch (SQLException e) {
                    a.rollback();
                    throw e;
                }
            });
            SQLException victim = null;
            try {
                sb.executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
            } catch (SQLException e) {
                victim = e;
                b.rollback();
            }
            try {
                first.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    victim = sql;
                }
            }
            if (victim != null) {
                throw victim;
            }
        }
    }

    private static void lockTimeout(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t VALUES (1, 0)");
        try (Connection holder = db.connect(); Connection waiter = db.connect();
             Statement sh = holder.createStatement(); Statement sw = waiter.createStatement()) {
            holder.setAutoCommit(false);
            sh.executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
            sw.execute("SET lock_timeout = '100ms'");
            sw.executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
        }
    }

    private static void cancel(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Connection admin = db.connect(); Statement s = c.createStatement();
             Statement watch = admin.createStatement()) {
            int pid;
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            Future<Boolean> sleeping = EXECUTOR.submit(() -> s.execute("SELECT pg_sleep(30)"));
            // Cancel only once the server runs the query: a cancel that arrives earlier is ignored by the
            // server, or (pgjdbc, statement not yet sent) dropped by the driver. Bounded by the query's 30 s.
            while (!running(watch, pid)) {
                if (sleeping.isDone()) {
                    sleeping.get();
                    return;
                }
            }
            s.cancel();
            try {
                sleeping.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }

    private static boolean running(Statement watch, int pid) throws SQLException {
        try (ResultSet rs = watch.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                + " AND state = 'active' AND query LIKE '%pg_sleep(30)%'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static void terminated(TestDatabase db) throws Exception {
        try (Connection victim = db.connect(); Connection admin = db.connect();
             Statement sv = victim.createStatement(); Statement sa = admin.createStatement()) {
            int pid;
            try (ResultSet rs = sv.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            // the timeout variant waits until the backend is gone (PostgreSQL 14+)
            try (ResultSet rs = sa.executeQuery("SELECT pg_terminate_backend(" + pid + ", 10000)")) {
                rs.next();
            }
            sv.execute("SELECT 1");
        }
    }

    private static void tooManyConnections(TestDatabase db) throws Exception {
        String role = "bulwark_limited_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1");
        try {
            try (Connection first = connectAs(db, role); Connection second = connectAs(db, role)) {
                first.isValid(1);
                second.isValid(1);
            }
        } finally {
            db.execute("DROP ROLE " + role);
        }
    }

    private static void permissionDenied(TestDatabase db) throws Exception {
        String role = "bulwark_nogrant_" + db.name();
        db.execute("CREATE TABLE secret (id int)", "CREATE ROLE " + role + " LOGIN");
        try {
            try (Connection c = connectAs(db, role); Statement s = c.createStatement()) {
                s.executeQuery("SELECT * FROM " + db.name() + ".secret").close();
            }
        } finally {
            db.execute("DROP ROLE " + role);
        }
    }

    private static Connection connectAs(TestDatabase db, String role) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", role);
        return DriverManager.getConnection(db.jdbcUrl(), props);
    }

    /** The shared server trusts loopback, so a wrong password needs a password-authenticated cluster. */
    private static void badPassword() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().withPassword("right-password").start()) {
            DriverManager.getConnection(cluster.jdbcUrl(), cluster.user(), "wrong-password").close();
        }
    }

    private static void withDb(DbScenario scenario) throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            scenario.run(db);
        }
    }

    @FunctionalInterface
    private interface DbScenario {
        void run(TestDatabase db) throws Exception;
    }
}
