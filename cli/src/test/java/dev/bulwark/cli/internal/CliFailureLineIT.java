package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/cli.md's promise, command by command: a failure (exit 1 or 3) is exactly one line on standard error that
 * starts with the command's name, and bad arguments (exit 2) start with a line naming the command and the
 * argument, followed by the usage.
 */
class CliFailureLineIT {

    @TempDir
    Path tmp;

    private static void oneLine(CliRun run, int exitCode, String command, String cause) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
        assertThat(run.err().lines().toList()).as(run.err()).singleElement()
                .satisfies(line -> assertThat(line).startsWith(command + ": ").contains(cause));
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private static String down() throws Exception {
        return "jdbc:postgresql://127.0.0.1:" + BackupCommandsIT.closedPort() + "/test";
    }

    @Test
    void doctorCannotConnect() throws Exception {
        oneLine(CliRun.of("doctor", down(), "--timeout", "3"), 3, "bulwark doctor", "SQLState 08001");
    }

    @Test
    void demoCannotConnect() throws Exception {
        oneLine(CliRun.of("demo", "--url", down(), "--duration", "1s", "--plain"), 3, "bulwark demo", "08001");
    }

    @Test
    void backupCannotConnect() throws Exception {
        oneLine(CliRun.of("backup", down(), tmp.resolve("b").toString(), "--timeout", "3"), 3, "bulwark backup",
                "cannot connect");
    }

    @Test
    void verifyFindsADamagedBackupAndRestoreRefusesANonEmptyTableNamingReplace() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, owner TEXT)", "INSERT INTO account VALUES (1, 'a')");
            Path backup = tmp.resolve("b");
            assertThat(CliRun.of("backup", db.jdbcUrl(), backup.toString()).exitCode()).isZero();

            CliRun restore = CliRun.of("restore", backup.toString(), db.jdbcUrl());
            oneLine(restore, 1, "bulwark restore", "--replace");
            assertThat(restore.err()).contains("non-empty").contains("SQLState 55000").doesNotContain("RestoreOptions");

            try (var files = Files.list(backup)) {
                Path data = files.filter(f -> !f.getFileName().toString().startsWith("manifest")).findFirst().orElseThrow();
                Files.writeString(data, "damage", StandardOpenOption.APPEND);
            }
            oneLine(CliRun.of("verify", backup.toString()), 1, "bulwark verify", "is damaged");
        }
    }

    @Test
    void restoreWithReplaceNamesTheCascadeOptionForTablesOutsideTheBackup() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Path backup = tmp.resolve("b");
            assertThat(CliRun.of("backup", db.jdbcUrl(), backup.toString(), "--user", db.user()).exitCode()).isZero();
            db.execute("CREATE TABLE payment (id INT PRIMARY KEY, account INT REFERENCES account (id) ON DELETE CASCADE)");

            CliRun restore = CliRun.of("restore", backup.toString(), db.jdbcUrl(), "--user", db.user(), "--replace");
            oneLine(restore, 1, "bulwark restore", "--cascade-outside-backup");
            assertThat(restore.err()).contains("payment").doesNotContain("RestoreOptions");
        }
    }

    @Test
    void journalInspectOfAJournalHeldOpenAndDrainIntoADownDatabase() throws Exception {
        Path dir = tmp.resolve("outbox");
        JournalCommandsIT.buffer(dir, SqlWrite.of("k-1", "INSERT INTO t (id) VALUES (?)", 1));
        try (Journal held = Journal.open(JournalConfig.builder().withDirectory(dir).build())) {
            oneLine(CliRun.of("journal", "inspect", dir.toString()), 1, "bulwark journal inspect", "already open");
        }
        oneLine(CliRun.of("journal", "drain", dir.toString(), down(), "--timeout", "3"), 3, "bulwark journal drain",
                "cannot connect");
    }

    @Test
    void copyCannotConnect() throws Exception {
        try (TestDatabase target = TestDatabases.sqlite()) {
            oneLine(CliRun.of("copy", down(), target.jdbcUrl(), "--timeout", "3"), 3, "bulwark copy", "cannot connect");
        }
    }

    @Test
    void badArgumentsNameTheCommandOnTheFirstLineForEveryCommand() throws Exception {
        String[][] cases = {
            {"bulwark classify", "classify", "4000"},
            {"bulwark doctor", "doctor", "jdbc:oracle:thin:@db"},
            {"bulwark demo", "demo", "--threads", "0"},
            {"bulwark backup", "backup", "postgres://db/shop", tmp.resolve("x").toString()},
            {"bulwark verify", "verify", tmp.resolve("missing").toString()},
            {"bulwark restore", "restore", tmp.resolve("missing").toString(), "jdbc:sqlite:" + tmp.resolve("r.db")},
            {"bulwark journal inspect", "journal", "inspect", tmp.resolve("missing").toString()},
            {"bulwark journal drain", "journal", "drain", tmp.toString(), "jdbc:sqlite:" + tmp.resolve("r.db")},
            {"bulwark copy", "copy", "jdbc:sqlite:/nonexistent/a.db", "jdbc:sqlite:" + tmp.resolve("c.db")},
            {"bulwark", "--no-such-option"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
            assertThat(run.err().lines().findFirst().orElse("")).as(run.err()).startsWith(c[0] + ": ");
            assertThat(run.err()).as(run.err()).contains("Usage: " + c[0]);
        }
    }
}
