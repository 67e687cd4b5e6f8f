package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads write while the database goes from down to up and the replay thread runs: every write
 * lands once, and each thread's writes land in the order it made them (a write never overtakes one that was
 * buffered before it).
 */
class ForwardOrderingIT {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 50;

    @TempDir
    Path temp;

    @Test
    void keepsEachThreadsWritesInOrderAcrossAnOutageAndItsReplay() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute(ForwardFixture.CREATE_TABLE);
            Path file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
            Path away = file.resolveSibling(file.getFileName() + ".away");
            Files.move(file, away, StandardCopyOption.ATOMIC_MOVE);
            BulwarkDataSource ds = ForwardFixture.bulwark(ForwardFixture.sqliteNoCreate(db.jdbcUrl()), "ordering",
                    CommitResolution.AUTO, false);
            CountDownLatch someBuffered = new CountDownLatch(THREADS * 5);
            Map<String, Long> results = new HashMap<>();
            try (StoreAndForward writer = StoreAndForward.builder(ds, ForwardFixture.config(temp.resolve("journal")))
                    .withListener(e -> {
                        if (e instanceof ForwardEvent.Buffered) {
                            someBuffered.countDown();
                        }
                    }).open()) {
                writer.start();
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<List<WriteResult>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        List<WriteResult> mine = new ArrayList<>();
                        for (int i = 0; i < PER_THREAD; i++) {
                            String key = "t" + thread + "-" + i;
                            mine.add(writer.write(SqlWrite.of(key, ForwardFixture.INSERT, key, thread * 1000 + i)));
                        }
                        return mine;
                    }));
                }
                assertThat(someBuffered.await(30, TimeUnit.SECONDS)).isTrue();
                Files.move(away, file, StandardCopyOption.ATOMIC_MOVE); // the database is back mid-stream
                for (Future<List<WriteResult>> f : futures) {
                    for (WriteResult r : f.get(60, TimeUnit.SECONDS)) {
                        results.merge(r.getClass().getSimpleName(), 1L, Long::sum);
                    }
                }
                pool.shutdown();
                writer.stop();
                ReplayReport rest = writer.drain();
                assertThat(rest.remaining()).isZero();
            }

            assertThat(results.getOrDefault("Buffered", 0L)).isGreaterThanOrEqualTo(THREADS * 5L);
            assertThat(results.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(THREADS * PER_THREAD);
            Map<Integer, List<Integer>> landed = new HashMap<>();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM sf_rows ORDER BY rowid")) {
                while (rs.next()) {
                    int v = rs.getInt(1);
                    landed.computeIfAbsent(v / 1000, k -> new ArrayList<>()).add(v % 1000);
                }
            }
            for (int t = 0; t < THREADS; t++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    expected.add(i);
                }
                assertThat(landed.get(t)).as("thread %d's writes, in the order they landed", t).isEqualTo(expected);
            }
            System.out.printf("ordering: %d threads x %d writes, results %s%n", THREADS, PER_THREAD, results);
        }
    }
}
