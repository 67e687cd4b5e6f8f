package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalConsumerTest {

    private static final int WRITERS = 4;
    private static final int RECORDS_PER_WRITER = 400;

    @TempDir
    Path dir;

    @Test
    void aConsumerReadingAndCheckpointingWhileWritersAppendSeesEveryRecordOnceInOrder() throws Exception {
        JournalConfig config = JournalConfig.builder().withDirectory(dir).withSegmentSize(2048).build();
        int total = WRITERS * RECORDS_PER_WRITER;
        try (Journal journal = Journal.open(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < RECORDS_PER_WRITER; i++) {
                        journal.append(ByteBuffer.allocate(8).putInt(writer).putInt(i).array());
                    }
                    return null;
                }));
            }
            Future<int[]> consumer = pool.submit(() -> consume(journal, total));

            for (Future<?> writer : writers) {
                writer.get();
            }
            int[] lastSeenPerWriter = consumer.get();
            pool.shutdown();

            assertThat(lastSeenPerWriter).containsOnly(RECORDS_PER_WRITER - 1);
            assertThat(journal.checkpointed()).isEqualTo(total);
            assertThat(journal.backlog()).isEqualTo(new JournalBacklog(0, 0));
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("segment-"))).hasSize(1);
            }
        }
    }

    /** Reads until {@code total} records were seen, checkpointing every 37; checks each writer's order. */
    private static int[] consume(Journal journal, int total) throws Exception {
        int[] lastSeen = new int[WRITERS];
        java.util.Arrays.fill(lastSeen, -1);
        long expected = 1;
        try (JournalReader reader = journal.reader(1)) {
            while (expected <= total) {
                Optional<JournalRecord> next = reader.next();
                if (next.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                assertThat(next.get().sequence()).isEqualTo(expected);
                ByteBuffer payload = ByteBuffer.wrap(next.get().payload());
                int writer = payload.getInt();
                int index = payload.getInt();
                assertThat(index).as("writer %d's records arrive in its order", writer).isEqualTo(lastSeen[writer] + 1);
                lastSeen[writer] = index;
                if (expected % 37 == 0 || expected == total) {
                    journal.checkpoint(expected);
                }
                expected++;
            }
        }
        return lastSeen;
    }
}
