package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bulwark backup}, {@code verify} and {@code restore} against SQLite files and PostgreSQL. */
class BackupCommandsIT {

    @TempDir
    Path tmp;

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // free now, closed below: nothing listens there
        }
    }

    private static void seed(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, owner VARCHAR(40) NOT NULL, cents BIGINT NOT NULL)",
                "INSERT INTO account VALUES (1, 'ada', 1000), (2, 'bob', 2500), (3, 'cy', 0)",
                "CREATE TABLE note (id INTEGER PRIMARY KEY, body VARCHAR(100))",
                "INSERT INTO note VALUES (1, 'hello')");
    }

    @Test
    void backsUpVerifiesAndRestoresASqliteDatabase() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            seed(source);
            Path backup = tmp.resolve("b1");
            CliRun run = CliRun.of("backup", source.jdbcUrl(), backup.toString(), "--tables", "account");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("account").contains("3 rows").doesNotContain("note");

            CliRun verify = CliRun.of("verify", backup.toString());
            assertThat(verify.exitCode()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("intact").contains("account");

            String target = "jdbc:sqlite:" + tmp.resolve("restored.db");
            CliRun restore = CliRun.of("restore", backup.toString(), target);
            assertThat(restore.exitCode()).as(restore.err()).isZero();
            assertThat(restore.out()).contains("1 table(s) restored and verified");
            try (Connection c = java.sql.DriverManager.getConnection(target)) {
                assertThat(count(c, "SELECT sum(cents) FROM account")).isEqualTo(3500);
            }

            CliRun again = CliRun.of("restore", backup.toString(), target);
            assertThat(again.exitCode()).isEqualTo(CliDatabase.FAILED);
            assertThat(again.err()).contains("bulwark restore: ").contains("55000");
            assertThat(CliRun.of("restore", backup.toString(), target, "--replace").exitCode()).isZero();
        }
    }

    @Test
    void verifyNamesEachDamagedFileAndRestoreRefusesTheBackup() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            seed(source);
            Path backup = tmp.resolve("b2");
            assertThat(CliRun.of("backup", source.jdbcUrl(), backup.toString()).exitCode()).isZero();
            Path image = backup.resolve("database.sqlite");
            byte[] bytes = Files.readAllBytes(image);
            bytes[bytes.length - 10] ^= 0x5a;
            Files.write(image, bytes);

            CliRun verify = CliRun.of("verify", backup.toString());
            assertThat(verify.exitCode()).isEqualTo(CliDatabase.FAILED);
            assertThat(verify.out()).contains("MISMATCH database.sqlite: expected ");
            assertThat(verify.err()).contains("is damaged");

            CliRun restore = CliRun.of("restore", backup.toString(), "jdbc:sqlite:" + tmp.resolve("r2.db"));
            assertThat(restore.exitCode()).isEqualTo(CliDatabase.FAILED);
            assertThat(restore.err()).contains("database.sqlite").contains("XX001");
        }
    }

    @Test
    void roundTripsAPostgresqlSchemaIntoAnother() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            seed(source);
            Path backup = tmp.resolve("pg");
            CliRun run = CliRun.of("backup", source.jdbcUrl(), backup.toString(), "--user", source.user());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("2 table(s) backed up");

            CliRun restore = CliRun.of("restore", backup.toString(), target.jdbcUrl(), "--user", target.user());
            assertThat(restore.exitCode()).as(restore.err()).isZero();
            try (Connection c = target.connect()) {
                assertThat(count(c, "SELECT count(*) FROM account")).isEqualTo(3);
                assertThat(count(c, "SELECT count(*) FROM note")).isEqualTo(1);
            }
        }
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheArgument() throws Exception {
        Files.createDirectories(tmp.resolve("exists"));
        CliRun existing = CliRun.of("backup", "jdbc:sqlite:" + tmp.resolve("x.db"), tmp.resolve("new").toString());
        assertThat(existing.exitCode()).isEqualTo(2);
        assertThat(existing.err()).contains("no SQLite database at");

        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            CliRun exists = CliRun.of("backup", db.jdbcUrl(), tmp.resolve("exists").toString());
            assertThat(exists.exitCode()).isEqualTo(2);
            assertThat(exists.err()).contains("already exists");
        }
        CliRun notBackup = CliRun.of("verify", tmp.resolve("exists").toString());
        assertThat(notBackup.exitCode()).isEqualTo(2);
        assertThat(notBackup.err()).contains("holds no manifest.json");
        CliRun missingArg = CliRun.of("restore", tmp.toString());
        assertThat(missingArg.exitCode()).isEqualTo(2);
        assertThat(missingArg.err()).contains("<jdbc-url>");
    }

    @Test
    void unreachableDatabaseIsExitCodeThreeWithoutThePassword() throws Exception {
        int port = closedPort();
        CliRun run = CliRun.of("backup", "jdbc:postgresql://127.0.0.1:" + port + "/test?password=hunter2",
                tmp.resolve("never").toString(), "--timeout", "3");
        assertThat(run.exitCode()).isEqualTo(CliDatabase.UNREACHABLE);
        assertThat(run.err()).contains("cannot connect to jdbc:postgresql://127.0.0.1:" + port).contains("08001");
        assertThat(run.out() + run.err()).doesNotContain("hunter2");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void restoreIntoAnUnreachableDatabaseIsExitCodeThree() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            seed(source);
            Path backup = tmp.resolve("b3");
            assertThat(CliRun.of("backup", source.jdbcUrl(), backup.toString()).exitCode()).isZero();
            int port = closedPort();

            CliRun run = CliRun.of("restore", backup.toString(), "jdbc:mariadb://127.0.0.1:" + port + "/test",
                    "--user", "root", "--timeout", "3");
            assertThat(run.exitCode()).isEqualTo(CliDatabase.UNREACHABLE);
            assertThat(run.err()).contains("cannot connect to jdbc:mariadb://127.0.0.1:" + port);
        }
    }
}
