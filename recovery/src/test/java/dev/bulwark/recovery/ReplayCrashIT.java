package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replaying process is killed (SIGKILL) at random moments, ten times: before, during and after a write's
 * commit, and between the commit and the journal checkpoint. Each new process reopens the journal and goes
 * on; a write committed but not checkpointed is found in the commit ledger and skipped. Exactly N rows.
 *
 * <p>The window between a commit and its checkpoint is short (the checkpoint is one small fsynced file), so
 * random kills rarely hit it. Every other kill therefore also puts back the checkpoint file as it was before
 * that process started: the state a crash leaves when every write of the round committed but none of their
 * checkpoints reached the disk (as with a replayer checkpointing in batches). The next process must then skip
 * all of them.
 */
class ReplayCrashIT {

    private static final int N = 300;
    private static final int KILLS = 10;
    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void appliesEachWriteOnceAlthoughTheReplayingProcessIsKilledTenTimes() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute(ForwardFixture.CREATE_TABLE);
            Path journal = temp.resolve("journal");
            bufferDuringAnOutage(db, journal);

            long start = System.nanoTime();
            int killed = 0;
            int skipped = 0;
            int replayedBeforeKills = 0;
            int checkpointsLost = 0;
            Path checkpoint = journal.resolve("checkpoint");
            while (killed < KILLS) {
                byte[] before = Files.exists(checkpoint) ? Files.readAllBytes(checkpoint) : null;
                boolean loseCheckpoints = killed % 2 == 1;
                try (ChildJvm child = ChildJvm.start(temp, "replay", "postgresql", db.jdbcUrl(), journal.toString())) {
                    String started = child.next(STEP);
                    assertThat(started).startsWith("STARTED|");
                    assertThat(Long.parseLong(started.substring("STARTED|".length())))
                            .as("records left (seed %d)", seed).isPositive();
                    int wait = (loseCheckpoints ? 1 : 0) + random.nextInt(25);
                    for (int i = 0; i < wait; i++) {
                        String line = child.next(STEP);
                        replayedBeforeKills++;
                        if (line.endsWith("|true")) {
                            skipped++;
                        }
                    }
                    // a random moment inside the next write's unit of work, commit and checkpoint
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(20_000)));
                    child.kill();
                    killed++;
                }
                if (loseCheckpoints) {
                    checkpointsLost++;
                    if (before == null) {
                        Files.delete(checkpoint);
                    } else {
                        Files.write(checkpoint, before);
                    }
                }
            }
            try (ChildJvm last = ChildJvm.start(temp, "replay", "postgresql", db.jdbcUrl(), journal.toString())) {
                for (String line = last.next(STEP); !line.startsWith("DRAINED"); line = last.next(STEP)) {
                    if (line.endsWith("|true")) {
                        skipped++;
                    }
                }
                assertThat(last.awaitExit(STEP)).isZero();
            }

            assertThat(skipped).as("writes found committed but not checkpointed").isPositive();
            try (Connection c = db.connect()) {
                assertThat(ForwardFixture.query(c, "SELECT COUNT(*) FROM sf_rows")).as("seed %d", seed).isEqualTo(N);
                assertThat(ForwardFixture.query(c, "SELECT COUNT(DISTINCT k) FROM sf_rows")).isEqualTo(N);
            }
            try (StoreAndForward writer = StoreAndForward.builder(
                    ForwardFixture.bulwark(db.dataSource(), "crash-check", CommitResolution.AUTO),
                    ForwardFixture.config(journal)).open()) {
                assertThat(writer.backlog().records()).isZero();
            }
            System.out.printf("%d writes, replaying process killed %d times (seed %d, checkpoints lost %d times),"
                    + " %d replays reported before the kills, %d writes found committed but not checkpointed, %d ms%n",
                    N, killed, seed, checkpointsLost, replayedBeforeKills, skipped,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    private static void bufferDuringAnOutage(TestDatabase db, Path journal) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            proxy.refuseNewConnections(true);
            var down = ForwardFixture.postgres(db.jdbcUrlVia(proxy.host(), proxy.port()), db.user(), db.password());
            try (StoreAndForward writer = StoreAndForward.builder(
                    ForwardFixture.bulwark(down, "crash-outage", CommitResolution.AUTO),
                    ForwardFixture.config(journal)).open()) {
                for (int i = 0; i < N; i++) {
                    assertThat(writer.write(SqlWrite.of("x-" + i, ForwardFixture.INSERT, "x-" + i, i)))
                            .isInstanceOf(WriteResult.Buffered.class);
                }
            }
        }
    }
}
