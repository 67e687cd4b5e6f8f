package dev.bulwark.recovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class GroupCommitTest {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitTest.class);

    private static final int THREADS = 16;
    private static final int APPENDS_PER_THREAD = 150;

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsShareFsyncsAndAreAllAcknowledgedExactlyOnce() throws Exception {
        JournalConfig config = JournalConfig.builder().withDirectory(dir).withSegmentSize(8 * 1024).build();
        Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
        try (FileJournal journal = FileJournal.open(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                        byte[] payload = ByteBuffer.allocate(12).putInt(thread).putLong(i).array();
                        assertThat(acknowledged.put(journal.append(payload), payload)).isNull();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();

            int total = THREADS * APPENDS_PER_THREAD;
            assertThat(journal.lastSequence()).isEqualTo(total);
            JournalStats stats = journal.stats();
            LOG.info("group commit: {} appends from {} threads needed {} fsyncs", stats.appends(), THREADS,
                    stats.forces());
            assertThat(stats.appends()).isEqualTo(total);
            assertThat(stats.forces()).isPositive().isLessThan(total);
            try (JournalReader reader = journal.reader(1)) {
                for (long sequence = 1; sequence <= total; sequence++) {
                    Optional<JournalRecord> record = reader.next();
                    assertThat(record).isPresent();
                    assertThat(record.get().sequence()).isEqualTo(sequence);
                    assertThat(record.get().payload()).isEqualTo(acknowledged.get(sequence));
                }
                assertThat(reader.next()).isEmpty();
            }
        }
    }

    @Test
    void anInterruptedAppenderIsStillAcknowledgedAndKeepsItsInterruptFlag() throws Exception {
        JournalConfig config = JournalConfig.builder().withDirectory(dir).build();
        try (FileJournal journal = FileJournal.open(config)) {
            Thread.currentThread().interrupt();
            long sequence;
            try {
                sequence = journal.append(new byte[] {42});
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(sequence).isEqualTo(1);
            assertThat(journal.append(new byte[] {43})).isEqualTo(2);
            assertThat(journal.lastSequence()).isEqualTo(2);
        }
    }
}
