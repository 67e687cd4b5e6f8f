package dev.bulwark.core;

import static dev.bulwark.core.MatrixRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The SQLite classification matrix: each row makes sqlite-jdbc raise the error on a real file.
 * sqlite-jdbc reports no SQLState and the primary result code as vendor code.
 */
class SqliteClassificationIT {

    @TestFactory
    Stream<DynamicTest> classifiesRealSqliteErrors() {
        FaultClassifier classifier = Faults.forDialect(Dialect.SQLITE);
        return rows().stream().map(r -> r.toTest("SQLite", classifier));
    }

    @Test
    void detectsTheDialectFromTheUrlAndTheServer() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite(); Connection c = db.connect()) {
            assertThat(Dialect.fromJdbcUrl(db.jdbcUrl())).isEqualTo(Dialect.SQLITE);
            assertThat(Dialect.fromMetaData(c.getMetaData())).isEqualTo(Dialect.SQLITE);
        }
    }

    private static List<MatrixRow> rows() {
        return List.of(
                row("SQLITE_BUSY: a second connection writes while the first holds the write lock",
                        FaultKind.TRANSIENT, null, 5, () -> withDb(db -> {
                            db.execute("CREATE TABLE t (id integer PRIMARY KEY)");
                            try (Connection holder = db.connect(); Connection writer = db.connect();
                                 Statement sh = holder.createStatement(); Statement sw = writer.createStatement()) {
                                holder.setAutoCommit(false);
                                sh.executeUpdate("INSERT INTO t VALUES (1)");
                                sw.execute("PRAGMA busy_timeout = 0");
                                sw.executeUpdate("INSERT INTO t VALUES (2)");
                            }
                        })),
                row("SQLITE_READONLY: write through a connection opened with open_mode=1", FaultKind.PERMISSION,
                        null, 8, () -> withDb(db -> {
                            db.execute("CREATE TABLE t (id integer PRIMARY KEY)");
                            try (Connection c = DriverManager.getConnection(db.jdbcUrl() + "?open_mode=1");
                                 Statement s = c.createStatement()) {
                                s.executeUpdate("INSERT INTO t VALUES (1)");
                            }
                        })),
                row("SQLITE_NOTADB: a file of garbage bytes", FaultKind.CORRUPTION, null, 26, () -> withDb(db -> {
                    byte[] garbage = new byte[8192];
                    new Random(42).nextBytes(garbage);
                    Files.write(file(db), garbage);
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.executeQuery("SELECT * FROM sqlite_master").close();
                    }
                })),
                row("SQLITE_CORRUPT: a table's root page overwritten", FaultKind.CORRUPTION, null, 11,
                        () -> withDb(SqliteClassificationIT::corruptRootPage)),
                row("SQLITE_FULL: inserts beyond PRAGMA max_page_count", FaultKind.STORAGE_FULL, null, 13,
                        () -> withDb(db -> {
                            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                                s.execute("CREATE TABLE t (data blob)");
                                s.execute("PRAGMA max_page_count = 8");
                                for (int i = 0; i < 100; i++) {
                                    s.executeUpdate("INSERT INTO t VALUES (randomblob(4000))");
                                }
                            }
                        })),
                row("SQLITE_CONSTRAINT: unique", FaultKind.CONSTRAINT, null, 19, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id integer PRIMARY KEY, email text UNIQUE)",
                            "INSERT INTO t VALUES (1, 'a')");
                    db.execute("INSERT INTO t VALUES (2, 'a')");
                })),
                row("SQLITE_CONSTRAINT: primary key", FaultKind.CONSTRAINT, null, 19, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id integer PRIMARY KEY)", "INSERT INTO t VALUES (1)");
                    db.execute("INSERT INTO t VALUES (1)");
                })),
                row("SQLITE_CONSTRAINT: not null", FaultKind.CONSTRAINT, null, 19, () -> withDb(db -> {
                    db.execute("CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)");
                    db.execute("INSERT INTO t (id) VALUES (1)");
                })),
                row("SQLITE_ERROR: syntax error", FaultKind.PROGRAMMING, null, 1,
                        () -> withDb(db -> db.execute("SELEC 1"))));
    }

    private static void corruptRootPage(TestDatabase db) throws Exception {
        int pageSize;
        int rootPage;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id integer PRIMARY KEY, v text)");
            s.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                    + " INSERT INTO t SELECT i, 'row ' || i FROM n");
            try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                rs.next();
                pageSize = rs.getInt(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 't'")) {
                rs.next();
                rootPage = rs.getInt(1);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file(db).toFile(), "rw")) {
            byte[] junk = new byte[pageSize];
            Arrays.fill(junk, (byte) 0x7f);
            raf.seek((long) (rootPage - 1) * pageSize);
            raf.write(junk);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT count(*) FROM t WHERE v <> ''").close();
        }
    }

    private static Path file(TestDatabase db) {
        return Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
    }

    private static void withDb(DbScenario scenario) throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            scenario.run(db);
        }
    }

    @FunctionalInterface
    private interface DbScenario {
        void run(TestDatabase db) throws Exception;
    }
}
