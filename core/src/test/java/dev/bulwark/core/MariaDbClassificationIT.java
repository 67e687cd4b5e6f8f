package dev.bulwark.core;

import static dev.bulwark.core.MatrixRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The MariaDB classification matrix: each row makes the real server raise the error. */
class MariaDbClassificationIT {

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stopExecutor() {
        EXECUTOR.shutdownNow();
    }

    @TestFactory
    Stream<DynamicTest> classifiesRealMariaDbErrors() {
        FaultClassifier classifier = Faults.forDialect(Dialect.MYSQL);
        return rows().stream().map(r -> r.toTest("MariaDB", classifier));
    }

    @Test
    void detectsTheDialectFromTheUrlAndTheServer() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb(); Connection c = db.connect()) {
            assertThat(Dialect.fromJdbcUrl(db.jdbcUrl())).isEqualTo(Dialect.MYSQL);
            assertThat(Dialect.fromMetaData(c.getMetaData())).isEqualTo(Dialect.MYSQL);
        }
    }

    private static List<MatrixRow> rows() {
        return List.of(
                row("duplicate key", FaultKind.CONSTRAINT, "23000", 1062, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
                    db.execute("INSERT INTO t VALUES (1)");
                })),
                row("foreign-key violation", FaultKind.CONSTRAINT, "23000", 1452, () -> withDb(db -> {
                    db.execute("CREATE TABLE parent (id int PRIMARY KEY) ENGINE=InnoDB",
                            "CREATE TABLE child (id int PRIMARY KEY, parent_id int,"
                                    + " FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB");
                    db.execute("INSERT INTO child VALUES (1, 42)");
                })),
                row("deadlock: two connections lock two rows in opposite order", FaultKind.TRANSIENT, "40001", 1213,
                        () -> withDb(MariaDbClassificationIT::deadlock)),
                row("lock wait timeout with innodb_lock_wait_timeout = 1", FaultKind.TRANSIENT, "HY000", 1205,
                        () -> withDb(MariaDbClassificationIT::lockWaitTimeout)),
                row("INSERT in START TRANSACTION READ ONLY", FaultKind.READ_ONLY, "25006", 1792, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id int)");
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.execute("START TRANSACTION READ ONLY");
                        s.execute("INSERT INTO t VALUES (1)");
                    }
                })),
                row("syntax error", FaultKind.PROGRAMMING, "42000", 1064, () -> withDb(db -> db.execute("SELEC 1"))),
                row("unknown table", FaultKind.PROGRAMMING, "42S02", 1146,
                        () -> withDb(db -> db.execute("SELECT * FROM no_such_table"))),
                row("access denied: a user connects with a wrong password", FaultKind.PERMISSION, "28000", 1045,
                        () -> withDb(MariaDbClassificationIT::wrongPassword)),
                row("connection refused on a closed port", FaultKind.CONNECTION, "08000", 0, () -> {
                    int port;
                    try (ServerSocket socket = new ServerSocket(0)) {
                        port = socket.getLocalPort();
                    }
                    DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/test", "root", "").close();
                }));
    }

    private static void deadlock(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int) ENGINE=InnoDB", "INSERT INTO t VALUES (1, 0), (2, 0)");
        try (Connection a = db.connect(); Connection b = db.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            for (Statement s : List.of(sa, sb)) {
                s.getConnection().setAutoCommit(false);
                s.execute("SET SESSION innodb_lock_wait_timeout = 10");
            }
            sa.executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
            sb.executeUpdate("UPDATE t SET v = 1 WHERE id = 2");
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
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    victim = sql;
                }
            }
            if (victim != null) {
                throw victim;
            }
        }
    }

    private static void lockWaitTimeout(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int) ENGINE=InnoDB", "INSERT INTO t VALUES (1, 0)");
        try (Connection holder = db.connect(); Connection waiter = db.connect();
             Statement sh = holder.createStatement(); Statement sw = waiter.createStatement()) {
            holder.setAutoCommit(false);
            sh.executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
            sw.execute("SET SESSION innodb_lock_wait_timeout = 1");
            sw.executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
        }
    }

    private static void wrongPassword(TestDatabase db) throws Exception {
        String user = "bulwark_" + db.name();
        db.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'the-right-one'");
        try {
            Properties props = new Properties();
            props.setProperty("user", user);
            props.setProperty("password", "a-wrong-one");
            DriverManager.getConnection(db.jdbcUrl(), props).close();
        } finally {
            db.execute("DROP USER '" + user + "'@'%'");
        }
    }

    private static void withDb(DbScenario scenario) throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            scenario.run(db);
        }
    }

    @FunctionalInterface
    private interface DbScenario {
        void run(TestDatabase db) throws Exception;
    }
}
