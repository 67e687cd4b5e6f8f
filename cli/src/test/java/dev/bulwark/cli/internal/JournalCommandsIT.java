package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.StoreAndForward;
import dev.bulwark.recovery.StoreAndForwardConfig;
import dev.bulwark.recovery.WriteResult;
import dev.bulwark.recovery.WriteCodec;
import dev.bulwark.recovery.WriteType;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bulwark journal inspect} and {@code drain}: a journal filled by a real {@link StoreAndForward} whose
 * database (a closed PostgreSQL port) is down, then drained into a SQLite file.
 */
class JournalCommandsIT {

    @TempDir
    Path tmp;

    /** Buffers the writes in {@code dir} through a writer whose database refuses every connection. */
    static void buffer(Path dir, SqlWrite... writes) throws Exception {
        String down = "jdbc:postgresql://127.0.0.1:" + BackupCommandsIT.closedPort() + "/test";
        StoreAndForwardConfig config = StoreAndForwardConfig.builder()
                .withJournal(JournalConfig.builder().withDirectory(dir).build())
                .withWriteDeadline(Duration.ofMillis(500))
                .withCreateLedger(false)
                .build();
        try (StoreAndForward writer = StoreAndForward.builder(
                Bulwark.wrap(new com.zaxxer.hikari.util.DriverDataSource(down, null, new Properties(), null, null)), config).open()) {
            for (SqlWrite w : writes) {
                assertThat(writer.write(w)).isInstanceOf(WriteResult.Buffered.class);
            }
        }
    }

    private static SqlWrite order(String key, int id, String item) {
        return SqlWrite.of(key, "INSERT INTO orders (id, item) VALUES (?, ?)", id, item);
    }

    @Test
    void inspectShowsRangeAndBacklogButNoPayloadUnlessAsked() throws Exception {
        Path dir = tmp.resolve("outbox");
        buffer(dir, order("o-1", 1, "s3cr3t-item"), order("o-2", 2, "b"));

        CliRun run = CliRun.of("journal", "inspect", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("sequence 1 to 2 kept").contains("0 (nothing applied yet)")
                .contains("2 record(s)").contains("buffered at").contains("segment-00000000000000000001.log")
                .contains("dead letters");
        assertThat(run.out()).doesNotContain("s3cr3t").doesNotContain("42 57 53 46");

        CliRun payloads = CliRun.of("journal", "inspect", dir.toString(), "--show-payloads");
        assertThat(payloads.exitCode()).as(payloads.err()).isZero();
        assertThat(payloads.out()).contains("#1").contains("#2").contains("42 57 53 46"); // "BWSF"
    }

    @Test
    void drainAppliesSqlWritesExactlyOnceAndReportsDeadLetters() throws Exception {
        Path dir = tmp.resolve("outbox");
        buffer(dir, order("o-1", 1, "a"), order("o-2", 2, "b"), order("o-3", 1, "duplicate id"));
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");

            CliRun run = CliRun.of("journal", "drain", dir.toString(), db.jdbcUrl());
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(CliDatabase.FAILED);
            assertThat(run.out()).containsPattern("applied\\s+2").containsPattern("dead-lettered\\s+1")
                    .containsPattern("remaining\\s+0");
            assertThat(tmp.resolve("outbox-dead-letter").resolve("00000000000000000003.write")).exists();
            try (Connection c = db.connect()) {
                assertThat(BackupCommandsIT.count(c, "SELECT count(*) FROM orders")).isEqualTo(2);
            }

            CliRun again = CliRun.of("journal", "drain", dir.toString(), db.jdbcUrl());
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).containsPattern("applied\\s+0");
            CliRun inspect = CliRun.of("journal", "inspect", dir.toString());
            assertThat(inspect.out()).contains("0 record(s)").contains("1 in ");
        }
    }

    @Test
    void drainIntoAnUnreachableDatabaseIsExitCodeThreeAndKeepsTheRecords() throws Exception {
        Path dir = tmp.resolve("outbox");
        buffer(dir, order("o-1", 1, "a"));
        String down = "jdbc:postgresql://127.0.0.1:" + BackupCommandsIT.closedPort() + "/test";

        CliRun run = CliRun.of("journal", "drain", dir.toString(), down, "--timeout", "3");
        assertThat(run.exitCode()).isEqualTo(CliDatabase.UNREACHABLE);
        assertThat(run.err()).contains("cannot connect to " + down);
        assertThat(CliRun.of("journal", "inspect", dir.toString()).out()).contains("1 record(s)");
    }

    @Test
    void drainStopsAtATypedWriteItCannotDecodeAndNamesItsSequence() throws Exception {
        Path dir = tmp.resolve("outbox");
        WriteCodec<String> utf8 = new WriteCodec<>() {
            @Override
            public byte[] encode(String write) {
                return write.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
        WriteType<String> note = WriteType.of("note", utf8, (c, s) -> { });
        String down = "jdbc:postgresql://127.0.0.1:" + BackupCommandsIT.closedPort() + "/test";
        StoreAndForwardConfig config = StoreAndForwardConfig.builder()
                .withJournal(JournalConfig.builder().withDirectory(dir).build())
                .withWriteDeadline(Duration.ofMillis(500))
                .withCreateLedger(false)
                .build();
        try (StoreAndForward writer = StoreAndForward.builder(
                Bulwark.wrap(new com.zaxxer.hikari.util.DriverDataSource(down, null, new Properties(), null, null)), config).withType(note).open()) {
            assertThat(writer.write(note, "n-1", "hello")).isInstanceOf(WriteResult.Buffered.class);
        }
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");

            CliRun run = CliRun.of("journal", "drain", dir.toString(), db.jdbcUrl());
            assertThat(run.exitCode()).isEqualTo(CliDatabase.FAILED);
            assertThat(run.err()).contains("bulwark journal drain: buffered write at journal sequence 1 cannot be read")
                    .contains("write type 'note' is not registered");
            assertThat(CliRun.of("journal", "inspect", dir.toString()).out()).as("nothing discarded")
                    .contains("1 record(s)");
        }
    }

    @Test
    void inspectRefusesAJournalTheApplicationHoldsOpen() throws Exception {
        Path dir = tmp.resolve("outbox");
        buffer(dir, order("o-1", 1, "a"));
        try (Journal held = Journal.open(JournalConfig.builder().withDirectory(dir).build())) {
            CliRun run = CliRun.of("journal", "inspect", dir.toString());

            assertThat(run.exitCode()).isEqualTo(CliDatabase.FAILED);
            assertThat(run.err()).startsWith("bulwark journal inspect: ").contains(dir.toString()).contains("is already open");
            assertThat(held.lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        CliRun missing = CliRun.of("journal", "inspect", tmp.resolve("none").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("<journal-dir>").contains("is not a directory");
        assertThat(tmp.resolve("none")).doesNotExist();

        Files.createDirectories(tmp.resolve("empty"));
        CliRun empty = CliRun.of("journal", "drain", tmp.resolve("empty").toString(), "jdbc:sqlite:" + tmp.resolve("a.db"));
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("not a journal");

        CliRun noSub = CliRun.of("journal");
        assertThat(noSub.exitCode()).isEqualTo(2);
        assertThat(noSub.err()).contains("inspect or drain");
    }
}
