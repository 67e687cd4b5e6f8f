package dev.bulwark.recovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a child JVM that appends as fast as it can with SIGKILL at random moments, then checks that every
 * acknowledged record survived exactly once, in order, with its payload. Reproduce a run with
 * {@code -Dbulwark.crash.seed=<seed printed>}; change the number of kills with {@code -Dbulwark.crash.kills}.
 */
class JournalCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCrashTest.class);
    private static final long SEGMENT_SIZE = 16 * 1024;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesSigkillExactlyOnceInOrder() throws Exception {
        long seed = Long.getLong("bulwark.crash.seed", System.nanoTime());
        int kills = Integer.getInteger("bulwark.crash.kills", 200);
        LOG.info("journal crash test: seed {} ({} kills); reproduce with -Dbulwark.crash.seed={}", seed, kills, seed);
        Random random = new Random(seed);
        Path journalDir = dir.resolve("journal");
        Map<Long, String> acknowledged = new TreeMap<>();
        long totalAcknowledged = 0;
        int tornTails = 0;
        int killedBeforeReady = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < kills; kill++) {
            List<String> lines = runAndKill(journalDir, random.nextLong(), random, kill);
            if (lines.isEmpty() || !lines.get(0).startsWith("READY")) {
                killedBeforeReady++;
            }
            for (String line : lines) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    long sequence = Long.parseLong(parts[1]);
                    assertThat(acknowledged.put(sequence, parts[2] + " " + parts[3]))
                            .as("sequence %d acknowledged twice (seed %d)", sequence, seed).isNull();
                    totalAcknowledged++;
                }
            }
            tornTails += verify(journalDir, acknowledged, seed, kill, random.nextInt(10) == 0);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        LOG.info("journal crash test: seed {}: {} kills ({} before the journal was open), {} records acknowledged,"
                + " {} torn tails cut, {} s", seed, kills, killedBeforeReady, totalAcknowledged, tornTails, seconds);
        assertThat(totalAcknowledged).as("records acknowledged over all runs (seed %d)", seed).isPositive();
    }

    /** Starts the appender, kills it at a random moment and returns the lines it printed before dying. */
    private List<String> runAndKill(Path journalDir, long childSeed, Random random, int kill) throws Exception {
        Path stderr = dir.resolve("child-" + kill + ".err");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx64m",
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-Dslf4j.internal.verbosity=WARN",
                "-cp", System.getProperty("java.class.path"), CrashingAppender.class.getName(),
                journalDir.toString(), Long.toString(SEGMENT_SIZE), Integer.toString(THREADS),
                Long.toString(childSeed));
        builder.redirectError(stderr.toFile());
        Process child = builder.start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> collect(child, lines, ready), "crash-child-reader");
        reader.start();
        boolean beforeReady = random.nextInt(100) < 10; // sometimes kill while the child opens (and recovers)
        if (beforeReady) {
            Thread.sleep(random.nextInt(400));
        } else {
            try {
                ready.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
                fail("child never opened the journal: " + Files.readString(stderr), e);
            }
            Thread.sleep(20 + random.nextInt(180));
        }
        if (!child.isAlive()) {
            fail("child exited on its own with " + child.exitValue() + ": " + Files.readString(stderr));
        }
        child.destroyForcibly();
        child.waitFor();
        reader.join();
        Files.delete(stderr);
        return lines;
    }

    private static void collect(Process child, List<String> lines, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("READY")) {
                    ready.complete(null);
                }
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("child closed its output"));
    }

    /** Reopens the journal and checks every acknowledged record; returns the number of torn tails cut. */
    private static int verify(Path journalDir, Map<Long, String> acknowledged, long seed, int kill, boolean checkpoint)
            throws IOException {
        JournalConfig config = JournalConfig.builder().withDirectory(journalDir).withSegmentSize(SEGMENT_SIZE).build();
        try (FileJournal journal = FileJournal.open(config)) {
            long highestAcknowledged = acknowledged.isEmpty() ? 0 : ((TreeMap<Long, String>) acknowledged).lastKey();
            assertThat(journal.lastSequence()).as("last sequence after kill %d (seed %d)", kill, seed)
                    .isGreaterThanOrEqualTo(highestAcknowledged);
            long expected = journal.checkpointed() + 1;
            CRC32 crc = new CRC32();
            try (JournalReader reader = journal.reader(expected)) {
                for (Optional<JournalRecord> next = reader.next(); next.isPresent(); next = reader.next()) {
                    JournalRecord record = next.get();
                    assertThat(record.sequence()).isEqualTo(expected);
                    String digest = acknowledged.get(record.sequence());
                    if (digest != null) {
                        crc.reset();
                        crc.update(record.payload());
                        assertThat(record.size() + " " + Long.toHexString(crc.getValue()))
                                .as("payload of record %d after kill %d (seed %d)", record.sequence(), kill, seed)
                                .isEqualTo(digest);
                    }
                    expected++;
                }
            }
            assertThat(expected - 1).isEqualTo(journal.lastSequence());
            if (checkpoint) {
                long upTo = journal.lastSequence() / 2 + journal.checkpointed() / 2;
                journal.checkpoint(Math.max(upTo, journal.checkpointed()));
                acknowledged.keySet().removeIf(sequence -> sequence <= journal.checkpointed());
            }
            return journal.tornTails().size();
        }
    }
}
