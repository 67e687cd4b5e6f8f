package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outage with a crash in the middle: the database goes away, the application (a child JVM) buffers N writes
 * and is killed with SIGKILL, the database comes back, and a new process (this JVM) reopens the journal and
 * replays: exactly N rows, no duplicate, an empty backlog.
 */
class StoreAndForwardOutageIT {

    private static final int N = 50;
    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void writesBufferedDuringAPostgresOutageSurviveAKilledProcessAndLandOnce() throws Exception {
        try (PostgresCluster pg = PostgresCluster.builder().start()) {
            try (Connection c = pg.connect()) {
                c.createStatement().execute(ForwardFixture.CREATE_TABLE);
            }
            pg.stop(); // the outage: connections are refused
            Path journal = temp.resolve("journal");

            bufferInAChildAndKillIt("postgresql", pg.jdbcUrl(), journal);

            pg.start();
            DataSource target = ForwardFixture.postgres(pg.jdbcUrl(), pg.user(), pg.password());
            replayAndCheck(ForwardFixture.bulwark(target, "pg-replay", CommitResolution.AUTO), journal);
        }
    }

    @Test
    void writesBufferedWhileTheSqliteFileIsGoneSurviveAKilledProcessAndLandOnce() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute(ForwardFixture.CREATE_TABLE);
            Path file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
            Path away = file.resolveSibling(file.getFileName() + ".away");
            // the outage: the database file is gone (a lost mount, say); without CREATE, opening it fails with
            // SQLITE_CANTOPEN, a connection fault
            Files.move(file, away, StandardCopyOption.ATOMIC_MOVE);
            Path journal = temp.resolve("journal");

            bufferInAChildAndKillIt("sqlite", db.jdbcUrl(), journal);

            Files.move(away, file, StandardCopyOption.ATOMIC_MOVE);
            replayAndCheck(ForwardFixture.bulwark(ForwardFixture.sqliteNoCreate(db.jdbcUrl()), "sqlite-replay",
                    CommitResolution.AUTO), journal);
        }
    }

    private void bufferInAChildAndKillIt(String engine, String url, Path journal) throws Exception {
        long start = System.nanoTime();
        try (ChildJvm child = ChildJvm.start(temp, "write", engine, url, journal.toString(), Integer.toString(N),
                "w-")) {
            List<String> lines = new ArrayList<>();
            for (String line = child.next(STEP); !line.equals("DONE"); line = child.next(STEP)) {
                lines.add(line);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                expected.add("BUFFERED|" + i + "|" + (i + 1));
            }
            assertThat(lines).as("every write buffered, in order").isEqualTo(expected);
            child.kill();
        }
        System.out.printf("%s: %d writes buffered by a child JVM, then SIGKILL, in %d ms%n", engine, N,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private void replayAndCheck(BulwarkDataSource ds, Path journal) throws Exception {
        long start = System.nanoTime();
        CountDownLatch drained = new CountDownLatch(1);
        List<ForwardEvent.Replayed> replayed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StoreAndForward writer = StoreAndForward.builder(ds, ForwardFixture.config(journal)).withListener(e -> {
            if (e instanceof ForwardEvent.Replayed r) {
                replayed.add(r);
            } else if (e instanceof ForwardEvent.Drained) {
                drained.countDown();
            }
        }).open()) {
            assertThat(writer.backlog().records()).isEqualTo(N);
            assertThat(writer.journalHealth().status()).isEqualTo(dev.bulwark.jdbc.Health.Status.DEGRADED);
            assertThat(writer.journalHealth().details()).containsEntry("backlogRecords", (long) N)
                    .containsKey("oldestAgeMs");

            writer.start();
            assertThat(drained.await(STEP.toSeconds(), TimeUnit.SECONDS)).as("backlog drained").isTrue();

            assertThat(writer.backlog().records()).isZero();
            assertThat(writer.journalHealth().status()).isEqualTo(dev.bulwark.jdbc.Health.Status.UP);
            assertThat(replayed).extracting(ForwardEvent.Replayed::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, N).boxed().toList());
            try (Connection c = ds.getConnection()) {
                assertThat(ForwardFixture.query(c, "SELECT COUNT(*) FROM sf_rows")).isEqualTo(N);
                assertThat(ForwardFixture.query(c, "SELECT COUNT(DISTINCT k) FROM sf_rows")).isEqualTo(N);
                assertThat(ForwardFixture.query(c, "SELECT COUNT(*) FROM bulwark_commit_ledger WHERE unit_id LIKE 'w-%'"))
                        .isEqualTo(N);
            }
            WriteResult after = writer.write(SqlWrite.of("after-outage", ForwardFixture.INSERT, "after-outage", -1));
            assertThat(after).isEqualTo(new WriteResult.Committed("after-outage"));
        }
        System.out.printf("replayed %d writes after the restart in %d ms%n", N,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
