package dev.bulwark.recovery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private JournalConfig.Builder config() {
        return JournalConfig.builder().withDirectory(dir.resolve("journal"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static List<JournalRecord> readAll(Journal journal, long from) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.reader(from)) {
            for (Optional<JournalRecord> next = reader.next(); next.isPresent(); next = reader.next()) {
                records.add(next.get());
            }
        }
        return records;
    }

    @Test
    void numbersRecordsContiguouslyFromOneAndReadsThemBackInOrder() throws IOException {
        try (Journal journal = Journal.open(config().build())) {
            assertThat(journal.lastSequence()).isZero();
            assertThat(journal.append(bytes("a"))).isEqualTo(1);
            assertThat(journal.append(bytes(""))).isEqualTo(2);
            assertThat(journal.append(bytes("ccc"))).isEqualTo(3);

            assertThat(readAll(journal, 1)).containsExactly(new JournalRecord(1, bytes("a")),
                    new JournalRecord(2, bytes("")), new JournalRecord(3, bytes("ccc")));
            assertThat(readAll(journal, 3)).containsExactly(new JournalRecord(3, bytes("ccc")));
            assertThat(readAll(journal, 4)).isEmpty();
        }
    }

    @Test
    void keepsRecordsAndCheckpointAcrossReopenAndContinuesTheSequence() throws IOException {
        try (Journal journal = Journal.open(config().build())) {
            journal.append(bytes("one"));
            journal.append(bytes("two"));
            journal.checkpoint(1);
        }
        try (Journal journal = Journal.open(config().build())) {
            assertThat(journal.checkpointed()).isEqualTo(1);
            assertThat(journal.lastSequence()).isEqualTo(2);
            assertThat(journal.append(bytes("three"))).isEqualTo(3);
            assertThat(readAll(journal, 2)).extracting(JournalRecord::sequence).containsExactly(2L, 3L);
        }
    }

    @Test
    void readerSeesRecordsAppendedAfterItCaughtUp() throws IOException {
        try (Journal journal = Journal.open(config().withSegmentSize(100).build());
                JournalReader reader = journal.reader(1)) {
            assertThat(reader.next()).isEmpty();
            for (int i = 1; i <= 10; i++) {
                journal.append(bytes("record " + i));
                assertThat(reader.next()).contains(new JournalRecord(i, bytes("record " + i)));
                assertThat(reader.next()).isEmpty();
            }
        }
    }

    @Test
    void rollsOverToANewSegmentAtTheConfiguredSizeAndDeletesSegmentsWhollyBeforeTheCheckpoint() throws IOException {
        try (Journal journal = Journal.open(config().withSegmentSize(16 + 3 * 26).build())) {
            for (int i = 1; i <= 10; i++) {
                journal.append(new byte[10]); // 26 bytes framed: three per segment
            }
            assertThat(segments()).hasSize(4);
            assertThat(segments()).allSatisfy(segment -> assertThat(Files.size(segment)).isLessThanOrEqualTo(94));

            journal.checkpoint(5);
            assertThat(segments()).extracting(path -> path.getFileName().toString())
                    .containsExactly("segment-00000000000000000004.log", "segment-00000000000000000007.log",
                            "segment-00000000000000000010.log");
            assertThat(readAll(journal, 6)).extracting(JournalRecord::sequence).containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThatThrownBy(() -> journal.reader(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("records 4 to 10");

            journal.checkpoint(10);
            assertThat(segments()).hasSize(1);
            assertThat(journal.backlog()).isEqualTo(new JournalBacklog(0, 0));
        }
        try (Journal journal = Journal.open(config().withSegmentSize(94).build())) {
            assertThat(journal.append(new byte[1])).isEqualTo(11);
        }
    }

    @Test
    void refusesAppendsBeyondMaxSizeWithoutDroppingAcceptedRecordsAndAcceptsAgainAfterACheckpoint()
            throws IOException {
        try (Journal journal = Journal.open(config().withMaxSize(100).build())) {
            journal.append(new byte[34]); // 50 bytes framed
            journal.append(new byte[34]);
            assertThat(journal.backlog()).isEqualTo(new JournalBacklog(2, 100));

            assertThatThrownBy(() -> journal.append(new byte[0]))
                    .isInstanceOfSatisfying(JournalFullException.class, full -> {
                        assertThat(full.limitBytes()).isEqualTo(100);
                        assertThat(full.backlogBytes()).isEqualTo(100);
                    })
                    .hasMessageContaining("limit of 100 bytes").hasMessageContaining("100 bytes are not checkpointed");
            assertThat(journal.lastSequence()).isEqualTo(2);
            assertThat(readAll(journal, 1)).hasSize(2);

            journal.checkpoint(1);
            assertThat(journal.backlog()).isEqualTo(new JournalBacklog(1, 50));
            assertThat(journal.append(new byte[34])).isEqualTo(3);
        }
    }

    @Test
    void rejectsAPayloadLargerThanASegmentCanHold() throws IOException {
        try (Journal journal = Journal.open(config().withSegmentSize(100).build())) {
            assertThatThrownBy(() -> journal.append(new byte[69])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("69 bytes").hasMessageContaining("68 bytes");
            assertThat(journal.append(new byte[68])).isEqualTo(1);
        }
    }

    @Test
    void refusesASecondOpenOfTheSameDirectoryUntilTheFirstIsClosed() throws IOException {
        Journal first = Journal.open(config().build());
        assertThatThrownBy(() -> Journal.open(config().build())).isInstanceOf(JournalException.class)
                .hasMessageContaining("is already open").hasMessageContaining("journal.lock");
        first.close();
        try (Journal second = Journal.open(config().build())) {
            assertThat(second.lastSequence()).isZero();
        }
    }

    @Test
    void namesTheDirectoryWhenItCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> Journal.open(JournalConfig.builder().withDirectory(file.resolve("journal")).build()))
                .isInstanceOf(JournalException.class).hasMessageContaining("cannot create journal directory")
                .hasMessageContaining(file.resolve("journal").toString());
        assertThatThrownBy(() -> Journal.open(JournalConfig.builder().withDirectory(file).build()))
                .isInstanceOf(JournalException.class).hasMessageContaining("is not a directory")
                .hasMessageContaining(file.toString());
    }

    @Test
    void refusesASegmentFileThatIsNotAJournal() throws IOException {
        Path journalDir = Files.createDirectories(dir.resolve("journal"));
        Path junk = Files.writeString(journalDir.resolve("segment-00000000000000000001.log"), "this is not a journal");

        assertThatThrownBy(() -> Journal.open(config().build()))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(junk);
                    assertThat(e.offset()).isZero();
                })
                .hasMessageContaining("not a journal segment").hasMessageContaining(junk.toString());
    }

    @Test
    void refusesACheckpointFileThatIsNotAJournalCheckpoint() throws IOException {
        Path journalDir = Files.createDirectories(dir.resolve("journal"));
        Files.writeString(journalDir.resolve("checkpoint"), "twenty bytes of junk");

        assertThatThrownBy(() -> Journal.open(config().build())).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("not a journal checkpoint").hasMessageContaining("checkpoint");
    }

    @Test
    void ignoresFilesThatAreNotNamedLikeJournalFiles() throws IOException {
        Files.createDirectories(dir.resolve("journal"));
        Files.writeString(dir.resolve("journal").resolve("README"), "operator notes");
        try (Journal journal = Journal.open(config().build())) {
            assertThat(journal.append(bytes("x"))).isEqualTo(1);
        }
    }

    @Test
    void ignoresALeftoverCheckpointTempFileFromAnInterruptedCheckpoint() throws IOException {
        try (Journal journal = Journal.open(config().build())) {
            journal.append(bytes("a"));
            journal.append(bytes("b"));
            journal.checkpoint(1);
        }
        Path temp = dir.resolve("journal").resolve("checkpoint.tmp");
        Files.write(temp, new byte[] {1, 2, 3}); // a crash while writing checkpoint 2, before the rename

        try (Journal journal = Journal.open(config().build())) {
            assertThat(journal.checkpointed()).isEqualTo(1);
            assertThat(temp).doesNotExist();
            journal.checkpoint(2);
        }
        try (Journal journal = Journal.open(config().build())) {
            assertThat(journal.checkpointed()).isEqualTo(2);
        }
    }

    @Test
    void rejectsCheckpointsThatGoBackwardsOrBeyondTheLastRecord() throws IOException {
        try (Journal journal = Journal.open(config().build())) {
            journal.append(bytes("a"));
            journal.append(bytes("b"));
            journal.checkpoint(2);

            assertThatThrownBy(() -> journal.checkpoint(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("current checkpoint 2");
            assertThatThrownBy(() -> journal.checkpoint(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("last record 2");
            journal.checkpoint(2);
            assertThat(journal.checkpointed()).isEqualTo(2);
        }
    }

    @Test
    void refusesUseAfterClose() throws IOException {
        Journal journal = Journal.open(config().build());
        JournalReader reader = journal.reader(1);
        journal.close();
        journal.close();

        assertThatThrownBy(() -> journal.append(bytes("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            return files.filter(file -> file.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }
}
