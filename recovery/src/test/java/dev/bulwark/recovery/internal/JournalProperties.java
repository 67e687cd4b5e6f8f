package dev.bulwark.recovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.recovery.Durability;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalFullException;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any interleaving of appends, checkpoints, clean reopens and crashes keeps every acknowledged record, delivers
 * it exactly once and in order, and keeps the checkpoint. A crash leaves what a killed writer can leave behind
 * the acknowledged records: whole records that were written but not acknowledged, then a torn record (a prefix
 * of a frame, possibly with a flipped byte) or a torn header of a new segment.
 */
class JournalProperties {

    private static final long SEGMENT_SIZE = 300;
    private static final long MAX_SIZE = 1500;

    sealed interface Action permits Append, Checkpoint, Reopen, Crash {
    }

    record Append(int size) implements Action {
    }

    /** Checkpoints {@code percent} of the way from the current checkpoint to the last record. */
    record Checkpoint(int percent) implements Action {
    }

    record Reopen() implements Action {
    }

    /**
     * A crash: {@code unacknowledged} whole records, then either a torn record of {@code tornPercent} of its frame
     * (with byte {@code flipAt} flipped if not negative) or, if {@code headerBytes} is not negative, a new segment
     * with only that many header bytes.
     */
    record Crash(int unacknowledged, int tornPercent, int headerBytes, int flipAt) implements Action {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> append = Arbitraries.integers().between(0, 120).map(Append::new);
        Arbitrary<Action> checkpoint = Arbitraries.integers().between(0, 100).map(Checkpoint::new);
        Arbitrary<Action> crash = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 99), Arbitraries.integers().between(-8, 15),
                Arbitraries.integers().between(-50, 60)).as(Crash::new);
        Arbitrary<Action> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(Tuple.of(8, append), Tuple.of(2, checkpoint), Tuple.of(3, crash),
                Tuple.of(1, reopen)).list().ofMaxSize(40);
    }

    @Property(tries = 150)
    void acknowledgedRecordsAreDeliveredExactlyOnceInOrderAcrossCrashes(@ForAll("actions") List<Action> actions)
            throws IOException {
        Path dir = Files.createTempDirectory("journal-properties");
        try {
            new Run(dir).play(actions);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** One run against a model: the list of records that must be in the journal, and the checkpoint. */
    private static final class Run {

        private final Path dir;
        private final JournalConfig config;
        private final List<byte[]> model = new ArrayList<>();
        private long checkpoint;
        private FileJournal journal;

        Run(Path dir) {
            this.dir = dir;
            this.config = JournalConfig.builder().withDirectory(dir).withSegmentSize(SEGMENT_SIZE).withMaxSize(MAX_SIZE)
                    .withDurability(Durability.NO_SYNC).build(); // crashes are simulated on the files themselves
        }

        void play(List<Action> actions) throws IOException {
            journal = FileJournal.open(config);
            try {
                for (Action action : actions) {
                    apply(action);
                    check();
                }
            } finally {
                journal.close();
            }
        }

        private void apply(Action action) throws IOException {
            if (action instanceof Append append) {
                byte[] payload = payload(model.size() + 1, append.size());
                if (backlogBytes() + 16 + payload.length > MAX_SIZE) {
                    assertThatThrownBy(() -> journal.append(payload)).isInstanceOf(JournalFullException.class);
                } else {
                    assertThat(journal.append(payload)).isEqualTo(model.size() + 1);
                    model.add(payload);
                }
            } else if (action instanceof Checkpoint cp) {
                checkpoint += (model.size() - checkpoint) * cp.percent() / 100;
                journal.checkpoint(checkpoint);
            } else if (action instanceof Reopen) {
                journal.close();
                journal = FileJournal.open(config);
                assertThat(journal.tornTails()).isEmpty();
            } else if (action instanceof Crash crash) {
                journal.close();
                boolean torn = leaveCrashDebris(crash);
                journal = FileJournal.open(config);
                assertThat(journal.tornTails()).hasSize(torn ? 1 : 0);
            }
        }

        /** Writes what a killed writer leaves behind; returns whether a torn tail is among it. */
        private boolean leaveCrashDebris(Crash crash) throws IOException {
            Path last = lastSegment();
            CRC32C crc = new CRC32C();
            try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (int i = 0; i < crash.unacknowledged(); i++) {
                    byte[] payload = payload(model.size() + 1, 10 + 17 * i);
                    channel.write(frame(model.size() + 1, payload, crc));
                    model.add(payload); // written whole: it is in the journal although never acknowledged
                }
                Path next = dir.resolve(SegmentFormat.fileName(model.size() + 1));
                if (crash.headerBytes() >= 0 && !Files.exists(next)) {
                    ByteBuffer header = SegmentFormat.header(model.size() + 1);
                    Files.write(next, Arrays.copyOf(header.array(), crash.headerBytes()));
                    return true;
                }
                ByteBuffer frame = frame(model.size() + 1, payload(model.size() + 1, 40), crc);
                int tornLength = frame.remaining() * crash.tornPercent() / 100;
                if (tornLength == 0) {
                    return false;
                }
                byte[] tornBytes = Arrays.copyOf(frame.array(), tornLength);
                if (crash.flipAt() >= 0) {
                    tornBytes[crash.flipAt() % tornLength] ^= 0x5A;
                }
                channel.write(ByteBuffer.wrap(tornBytes));
                return true;
            }
        }

        private void check() throws IOException {
            assertThat(journal.lastSequence()).isEqualTo(model.size());
            assertThat(journal.checkpointed()).isEqualTo(checkpoint);
            assertThat(journal.backlog().records()).isEqualTo(model.size() - checkpoint);
            assertThat(journal.backlog().bytes()).isEqualTo(backlogBytes());
            long expected = checkpoint + 1;
            try (JournalReader reader = journal.reader(expected)) {
                for (Optional<JournalRecord> next = reader.next(); next.isPresent(); next = reader.next()) {
                    assertThat(next.get().sequence()).isEqualTo(expected);
                    assertThat(next.get().payload()).isEqualTo(model.get((int) expected - 1));
                    expected++;
                }
            }
            assertThat(expected - 1).isEqualTo(model.size());
        }

        private long backlogBytes() {
            long bytes = 0;
            for (int i = (int) checkpoint; i < model.size(); i++) {
                bytes += 16 + model.get(i).length;
            }
            return bytes;
        }

        private Path lastSegment() throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted()
                        .reduce((a, b) -> b).orElseThrow();
            }
        }

        private static ByteBuffer frame(long sequence, byte[] payload, CRC32C crc) {
            return SegmentFormat.frame(ByteBuffer.allocate(16 + payload.length), sequence, payload, crc);
        }

        private static byte[] payload(long sequence, int size) {
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (sequence * 31 + i);
            }
            return payload;
        }
    }
}
