package dev.bulwark.core;

import static dev.bulwark.core.MatrixRow.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The H2 classification matrix: each row makes an embedded H2 database (a file in a fresh temporary
 * directory; {@code TestDatabases} covers only the shipped dialects' servers) raise the error.
 */
class H2ClassificationIT {

    @TestFactory
    Stream<DynamicTest> classifiesRealH2Errors() {
        FaultClassifier classifier = Faults.forDialect(Dialect.H2);
        return rows().stream().map(r -> r.toTest("H2", classifier));
    }

    private static List<MatrixRow> rows() {
        return List.of(
                row("duplicate key", FaultKind.CONSTRAINT, "23505", 23505, () -> withDb(url -> {
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE t (id int PRIMARY KEY)");
                        s.execute("INSERT INTO t VALUES (1)");
                        s.execute("INSERT INTO t VALUES (1)");
                    }
                })),
                row("syntax error", FaultKind.PROGRAMMING, "42001", 42001, () -> withDb(url -> {
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                        s.execute("SELEC 1");
                    }
                })),
                row("lock timeout while another connection holds the row", FaultKind.TRANSIENT, "HYT00", 50200,
                        () -> withDb(url -> {
                            try (Connection holder = DriverManager.getConnection(url);
                                 Connection waiter = DriverManager.getConnection(url);
                                 Statement sh = holder.createStatement(); Statement sw = waiter.createStatement()) {
                                sh.execute("CREATE TABLE t (id int PRIMARY KEY, v int)");
                                sh.execute("INSERT INTO t VALUES (1, 0)");
                                holder.setAutoCommit(false);
                                sh.executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
                                sw.execute("SET LOCK_TIMEOUT 100");
                                sw.executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
                            }
                        })),
                row("write to a database opened read-only", FaultKind.PERMISSION, "90097", 90097, () -> withDb(url -> {
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE t (id int)");
                        s.execute("SHUTDOWN");
                    }
                    try (Connection c = DriverManager.getConnection(url + ";ACCESS_MODE_DATA=r");
                         Statement s = c.createStatement()) {
                        s.execute("INSERT INTO t VALUES (1)");
                    }
                })));
    }

    private static void withDb(H2Scenario scenario) throws Exception {
        Path dir = Files.createTempDirectory("bulwark-h2-");
        try {
            scenario.run("jdbc:h2:" + dir.resolve("db-" + UUID.randomUUID()) + ";DB_CLOSE_DELAY=0");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @FunctionalInterface
    private interface H2Scenario {
        void run(String url) throws Exception;
    }
}
