package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing restore or copy prints one line on standard error, with the server's reason and no row data. */
class CliErrorTextIT {

    private static final String CANARY = "canary-5e1f07";

    @TempDir
    Path tmp;

    private static void assertOneLineWithoutRowData(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err().strip()).as(run.err()).doesNotContain("\n").doesNotContain(CANARY)
                .doesNotContain("Failing row").doesNotContain("COPY").contains("check");
        assertThat(run.out()).doesNotContain(CANARY);
    }

    @Test
    void aRestoreThatACheckRejectsPrintsOneLineWithoutTheRow() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY, owner TEXT NOT NULL)",
                    "INSERT INTO account VALUES (1, '" + CANARY + "')");
            target.execute("CREATE TABLE account (id INT PRIMARY KEY, owner TEXT NOT NULL CHECK (owner NOT LIKE 'canary%'))");
            Path backup = tmp.resolve("b");
            assertThat(CliRun.of("backup", source.jdbcUrl(), backup.toString(), "--user", source.user()).exitCode()).isZero();

            CliRun run = CliRun.of("restore", backup.toString(), target.jdbcUrl(), "--user", target.user());
            assertOneLineWithoutRowData(run);
            assertThat(run.err().strip()).isEqualTo("bulwark restore: restoring table 'account' failed: ERROR: new row for"
                    + " relation \"account\" violates check constraint \"account_owner_check\"; rolled back (SQLState 23514)");
        }
    }

    @Test
    void aMariaDbRestoreThatACheckRejectsPrintsOneLineWithoutTheRow() throws Exception {
        try (TestDatabase source = TestDatabases.mariadb(); TestDatabase target = TestDatabases.mariadb()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY, owner VARCHAR(40) NOT NULL)",
                    "INSERT INTO account VALUES (1, '" + CANARY + "')");
            target.execute("CREATE TABLE account (id INT PRIMARY KEY, owner VARCHAR(40) NOT NULL,"
                    + " CONSTRAINT owner_check CHECK (owner NOT LIKE 'canary%'))");
            Path backup = tmp.resolve("b");
            assertThat(CliRun.of("backup", source.jdbcUrl(), backup.toString(), "--user", source.user()).exitCode()).isZero();

            assertOneLineWithoutRowData(CliRun.of("restore", backup.toString(), target.jdbcUrl(), "--user", target.user()));
        }
    }

    @Test
    void aCopyThatACheckRejectsPrintsTheTableWithoutTheRow() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY, owner TEXT NOT NULL)",
                    "INSERT INTO account VALUES (1, '" + CANARY + "')");
            target.execute("CREATE TABLE account (id INT PRIMARY KEY, owner TEXT NOT NULL CHECK (owner NOT LIKE 'canary%'))");

            CliRun run = CliRun.of("copy", source.jdbcUrl(), target.jdbcUrl(), "--target-user", target.user());
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out() + run.err()).doesNotContain(CANARY).doesNotContain("Failing row");
            assertThat(run.out().lines().filter(l -> l.contains("FAILED"))).singleElement()
                    .satisfies(l -> assertThat(l).contains("account").contains("check"));
        }
    }
}
