package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bulwark copy} between SQLite files and from PostgreSQL to MariaDB. */
class CopyCommandIT {

    @TempDir
    Path tmp;

    private static void seed(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customer (id),"
                        + " total DECIMAL(10,2) NOT NULL)",
                "INSERT INTO customer VALUES (1, 'ada'), (2, 'bob')",
                "INSERT INTO orders VALUES (10, 1, 9.90), (11, 2, 12.50), (12, 2, 1.00)");
    }

    @Test
    void copiesWithProgressAndVerifiesEveryTable() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            seed(source);
            String target = "jdbc:sqlite:" + tmp.resolve("copy.db");

            CliRun dry = CliRun.of("copy", source.jdbcUrl(), target, "--dry-run");
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("dry run, nothing written");

            CliRun run = CliRun.of("copy", source.jdbcUrl(), target, "--chunk-size", "2");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("customer: ").contains("orders: ").contains("every table copied and verified")
                    .containsPattern("orders\\s+yes\\s+3 .*yes \\(3 rows, ");
            try (Connection c = DriverManager.getConnection(target)) {
                assertThat(BackupCommandsIT.count(c, "SELECT count(*) FROM orders")).isEqualTo(3);
            }

            CliRun conflict = CliRun.of("copy", source.jdbcUrl(), target, "--copy-id", "second", "--tables", "customer");
            assertThat(conflict.exitCode()).isEqualTo(CliDatabase.FAILED);
            assertThat(conflict.out()).contains("FAILED").contains("NOT every table");
            CliRun skip = CliRun.of("copy", source.jdbcUrl(), target, "--copy-id", "third", "--tables", "customer",
                    "--conflict", "SKIP");
            assertThat(skip.exitCode()).as(skip.out() + skip.err()).isZero();
        }
    }

    @Test
    void copiesFromPostgresqlToMariadb() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.mariadb()) {
            seed(source);
            CliRun run = CliRun.of("copy", source.jdbcUrl(), target.jdbcUrl(), "--source-user", source.user(),
                    "--target-user", target.user());
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            try (Connection c = target.connect()) {
                assertThat(BackupCommandsIT.count(c, "SELECT count(*) FROM orders")).isEqualTo(3);
            }
        }
    }

    @Test
    void badArgumentsAndUnreachableTargets() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            seed(source);
            CliRun conflict = CliRun.of("copy", source.jdbcUrl(), "jdbc:sqlite:" + tmp.resolve("t.db"), "--conflict", "maybe");
            assertThat(conflict.exitCode()).isEqualTo(2);
            assertThat(conflict.err()).contains("--conflict").contains("maybe");

            CliRun noDir = CliRun.of("copy", source.jdbcUrl(), "jdbc:sqlite:" + tmp.resolve("no/such/t.db"));
            assertThat(noDir.exitCode()).isEqualTo(2);
            assertThat(noDir.err()).contains("<target-url>").contains("does not exist");

            CliRun badId = CliRun.of("copy", source.jdbcUrl(), "jdbc:sqlite:" + tmp.resolve("t.db"), "--copy-id", "no spaces");
            assertThat(badId.exitCode()).isEqualTo(2);
            assertThat(badId.err()).contains("copyId");

            int port = BackupCommandsIT.closedPort();
            CliRun down = CliRun.of("copy", source.jdbcUrl(), "jdbc:mariadb://127.0.0.1:" + port + "/test",
                    "--timeout", "3");
            assertThat(down.exitCode()).isEqualTo(CliDatabase.UNREACHABLE);
            assertThat(down.err()).contains("cannot connect to jdbc:mariadb://127.0.0.1:" + port);
        }
    }
}
