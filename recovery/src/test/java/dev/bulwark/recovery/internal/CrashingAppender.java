package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The child process of {@link JournalCrashTest}: opens the journal, prints {@code READY}, then appends from
 * several threads as fast as it can, printing {@code ACK <sequence> <length> <crc32>} for each acknowledged
 * record, until it is killed.
 *
 * <p>Arguments: directory, segment size, threads, seed.
 */
public final class CrashingAppender {

    private CrashingAppender() {
    }

    public static void main(String[] args) throws Exception {
        JournalConfig config = JournalConfig.builder().withDirectory(Path.of(args[0]))
                .withSegmentSize(Long.parseLong(args[1])).build();
        int threads = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
        FileJournal journal = FileJournal.open(config);
        synchronized (out) {
            out.write("READY " + journal.lastSequence() + "\n");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(seed * 31 + t);
            Thread thread = new Thread(() -> appendForever(journal, random, out), "appender-" + t);
            thread.start();
        }
    }

    private static void appendForever(FileJournal journal, SplittableRandom random, BufferedWriter out) {
        CRC32 crc = new CRC32();
        try {
            while (true) {
                byte[] payload = new byte[random.nextInt(600)];
                random.nextBytes(payload);
                long sequence = journal.append(payload);
                crc.reset();
                crc.update(payload);
                synchronized (out) {
                    out.write("ACK " + sequence + " " + payload.length + " " + Long.toHexString(crc.getValue()) + "\n");
                    out.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
