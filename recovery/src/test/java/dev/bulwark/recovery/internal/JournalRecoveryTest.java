package dev.bulwark.recovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalCorruptedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class JournalRecoveryTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger recoveryLogger = (Logger) LoggerFactory.getLogger(JournalRecovery.class);

    @BeforeEach
    void captureLog() {
        log.start();
        recoveryLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        recoveryLogger.detachAppender(log);
    }

    private JournalConfig config() {
        return JournalConfig.builder().withDirectory(dir).withSegmentSize(100).build();
    }

    private Path segment(long firstSequence) {
        return dir.resolve(SegmentFormat.fileName(firstSequence));
    }

    @Test
    void cutsAnIncompleteLastRecordAndLogsTheSegmentAndOffsetAtWarn() throws IOException {
        try (FileJournal journal = FileJournal.open(config())) {
            journal.append(new byte[10]);
            journal.append(new byte[10]);
        }
        try (RandomAccessFile file = new RandomAccessFile(segment(1).toFile(), "rw")) {
            file.setLength(16 + 26 + 20); // the second record loses its last 6 bytes
        }

        try (FileJournal journal = FileJournal.open(config())) {
            assertThat(journal.lastSequence()).isEqualTo(1);
            assertThat(journal.tornTails()).containsExactly(new TornTail(segment(1), 42, 20,
                    "record of 10 payload bytes runs past the end of the file"));
            assertThat(journal.append(new byte[] {1})).isEqualTo(2);
        }
        assertThat(Files.size(segment(1))).isEqualTo(42 + 17);
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains(segment(1).toString()).contains("offset 42");
        });
    }

    @Test
    void rewritesTheHeaderOfANewSegmentThatACrashLeftIncomplete() throws IOException {
        try (FileJournal journal = FileJournal.open(config())) {
            journal.append(new byte[10]);
        }
        Files.write(segment(2), new byte[] {0x42, 0x57}); // a crash while the roll-over wrote the header

        try (FileJournal journal = FileJournal.open(config())) {
            assertThat(journal.tornTails()).extracting(TornTail::segment, TornTail::offset)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(segment(2), 0L));
            assertThat(journal.append(new byte[] {1})).isEqualTo(2);
        }
        assertThat(Files.size(segment(2))).isEqualTo(16 + 17);
    }

    @Test
    void finishesDeletingCheckpointedSegmentsWhenACrashInterruptedIt() throws IOException {
        byte[] firstSegment;
        try (FileJournal journal = FileJournal.open(config())) {
            for (int i = 0; i < 6; i++) {
                journal.append(new byte[10]); // three per segment
            }
            firstSegment = Files.readAllBytes(segment(1));
            journal.checkpoint(4);
        }
        Files.write(segment(1), firstSegment); // as if the crash came before the deletion

        try (FileJournal journal = FileJournal.open(config())) {
            assertThat(segment(1)).doesNotExist();
            assertThat(journal.checkpointed()).isEqualTo(4);
            assertThat(journal.backlog().records()).isEqualTo(2);
        }
    }

    @Test
    void reportsAMissingSegmentAsCorruptionOfThePrecedingOne() throws IOException {
        try (FileJournal journal = FileJournal.open(config())) {
            for (int i = 0; i < 7; i++) {
                journal.append(new byte[10]);
            }
        }
        Files.delete(segment(4));

        assertThatThrownBy(() -> FileJournal.open(config()))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(segment(1));
                    assertThat(e.offset()).isEqualTo(16 + 3 * 26);
                })
                .hasMessageContaining("records 4 to 6 are missing").hasMessageContaining(segment(7).toString());
    }

    @Test
    void reportsACheckpointBeyondTheLastRecordAsCorruption() throws IOException {
        try (FileJournal journal = FileJournal.open(config())) {
            journal.append(new byte[10]);
            journal.append(new byte[10]);
            journal.checkpoint(2);
        }
        try (RandomAccessFile file = new RandomAccessFile(segment(1).toFile(), "rw")) {
            file.setLength(16 + 26);
        }

        assertThatThrownBy(() -> FileJournal.open(config())).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("checkpoint 2 is beyond the last record 1")
                .hasMessageContaining(dir.resolve("checkpoint").toString());
        assertThat(Files.size(segment(1))).as("nothing is cut when the journal does not open").isEqualTo(16 + 26);
    }

    @Test
    void reportsACheckpointWithoutAnySegmentAsCorruption() throws IOException {
        try (FileJournal journal = FileJournal.open(config())) {
            journal.append(new byte[10]);
            journal.checkpoint(1);
        }
        Files.delete(segment(1));

        assertThatThrownBy(() -> FileJournal.open(config())).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("checkpoint at 1 but no segment file");
    }
}
