package dev.bulwark.recovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.recovery.Durability;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalCorruptedException;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Damages a journal at every byte (flipped bits, truncation) and checks that each case is either a torn tail
 * reported at the end of the last segment or a {@link JournalCorruptedException}: never a wrong record, never a
 * silently lost one, never another exception.
 */
class JournalCorruptionTest {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCorruptionTest.class);

    @TempDir
    Path dir;

    private int torn;
    private int corrupted;
    private int intact;
    private int boundaryCuts;
    private int cases;

    @Test
    void everyFlippedOrTruncatedByteOfASmallJournalIsATornTailOrACorruptionError() throws IOException {
        Path pristine = dir.resolve("pristine");
        List<JournalRecord> records = build(pristine, 7, 16 + 3 * 24, 2, new Random(1));
        for (Path file : journalFiles(pristine)) {
            for (long offset = 0; offset < Files.size(file); offset++) {
                damage(pristine, records, file, offset, 0xFF);
                damage(pristine, records, file, offset, 0x01);
                damage(pristine, records, file, offset, -1);
            }
        }
        LOG.info("corruption of a small journal: {} cases, {} torn tails, {} corruption errors, {} cuts between"
                + " records of the last segment, {} changes with every record intact", cases, torn, corrupted,
                boundaryCuts, intact);
        assertThat(torn).isPositive();
        assertThat(corrupted).isPositive();
    }

    @Test
    void sampledDamageToALargerJournalIsATornTailOrACorruptionError() throws IOException {
        long seed = Long.getLong("bulwark.corruption.seed", System.nanoTime());
        LOG.info("sampled journal corruption: seed {} (reproduce with -Dbulwark.corruption.seed={})", seed, seed);
        Random random = new Random(seed);
        Path pristine = dir.resolve("pristine");
        List<JournalRecord> records = build(pristine, 300, 4096, 120, random);
        List<Path> files = journalFiles(pristine);
        for (int i = 0; i < 300; i++) {
            Path file = files.get(random.nextInt(files.size()));
            long offset = (long) random.nextInt((int) Files.size(file));
            damage(pristine, records, file, offset, i % 3 == 2 ? -1 : 1 << random.nextInt(8));
        }
        LOG.info("sampled corruption (seed {}): {} cases, {} torn tails, {} corruption errors", seed, cases, torn,
                corrupted);
        assertThat(torn + corrupted).isPositive();
    }

    /** Writes a journal of {@code count} records with a checkpoint and returns the records. */
    private static List<JournalRecord> build(Path pristine, int count, long segmentSize, long checkpoint,
            Random random) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(config(pristine, segmentSize))) {
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[random.nextInt(segmentSize > 1000 ? 100 : 8)];
                random.nextBytes(payload);
                records.add(new JournalRecord(journal.append(payload), payload));
            }
            journal.checkpoint(checkpoint);
        }
        return records;
    }

    private static JournalConfig config(Path directory, long segmentSize) {
        return JournalConfig.builder().withDirectory(directory).withSegmentSize(segmentSize)
                .withDurability(Durability.NO_SYNC).build();
    }

    /** Copies the pristine journal, damages one byte (xor {@code mask}, or truncation if -1) and checks the result. */
    private void damage(Path pristine, List<JournalRecord> records, Path file, long offset, int mask)
            throws IOException {
        cases++;
        Path copy = dir.resolve("case-" + cases);
        Files.createDirectories(copy);
        for (Path source : journalFiles(pristine)) {
            Files.copy(source, copy.resolve(source.getFileName()));
        }
        Path damaged = copy.resolve(file.getFileName());
        byte[] bytes = Files.readAllBytes(damaged);
        if (mask < 0) {
            Files.write(damaged, java.util.Arrays.copyOf(bytes, (int) offset));
        } else {
            bytes[(int) offset] ^= (byte) mask;
            Files.write(damaged, bytes);
        }
        String what = (mask < 0 ? "truncating " : "xor " + mask + " at ") + file.getFileName() + " offset " + offset;
        Path lastSegment = journalFiles(copy).stream().filter(f -> f.getFileName().toString().startsWith("segment-"))
                .reduce((a, b) -> b).orElseThrow();
        long pristineSize = Files.size(file);
        try (FileJournal journal = FileJournal.open(config(copy, Files.size(file) + 4096))) {
            List<JournalRecord> delivered = readAll(journal);
            for (JournalRecord record : delivered) {
                assertThat(record).as(what).isEqualTo(records.get((int) record.sequence() - 1));
            }
            if (journal.tornTails().isEmpty() && journal.lastSequence() < records.size()) {
                // a cut exactly between two records of the last segment looks like a journal that ended there
                assertThat(mask).as("%s: nothing reported, nothing may be lost", what).isEqualTo(-1);
                assertThat(damaged).as("%s: nothing reported, nothing may be lost", what).isEqualTo(lastSegment);
                assertThat(Files.size(damaged)).as(what).isEqualTo(offset);
                boundaryCuts++;
            } else if (journal.tornTails().isEmpty()) {
                intact++;
            } else {
                assertThat(damaged).as("%s: only damage to the last segment can be a torn tail", what)
                        .isEqualTo(lastSegment);
                assertThat(journal.tornTails().get(0).segment()).as(what).isEqualTo(lastSegment);
                assertThat(journal.tornTails().get(0).offset() + journal.tornTails().get(0).bytes()).as(what)
                        .isEqualTo(mask < 0 ? offset : pristineSize);
                torn++;
            }
            assertThat(journal.append(new byte[] {7})).as(what).isEqualTo(journal.lastSequence());
        } catch (JournalCorruptedException e) {
            assertThat(e.file()).as(what).isEqualTo(damaged);
            assertThat(e.getMessage()).as(what).contains(damaged.toString());
            corrupted++;
        }
        try (Stream<Path> files = Files.list(copy)) {
            for (Path leftover : files.toList()) {
                Files.delete(leftover);
            }
        }
        Files.delete(copy);
    }

    private static List<JournalRecord> readAll(FileJournal journal) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.reader(journal.checkpointed() + 1)) {
            for (Optional<JournalRecord> next = reader.next(); next.isPresent(); next = reader.next()) {
                records.add(next.get());
            }
        }
        return records;
    }

    private static List<Path> journalFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> !f.getFileName().toString().equals(JournalDirectory.LOCK_NAME)).sorted().toList();
        }
    }
}
