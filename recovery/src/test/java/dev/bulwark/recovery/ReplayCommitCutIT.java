package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.FaultPoint;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Replay meets lost COMMIT acknowledgements: the commit happened on the server but the client saw the
 * connection die. With Bulwark's own commit resolution switched off, each such replay ends in SQLState 08007;
 * the next attempt finds the write's key in the commit ledger and only checkpoints it. Exactly N rows.
 */
class ReplayCommitCutIT {

    private static final int N = 60;

    @TempDir
    Path temp;

    @Test
    void appliesEachWriteOnceWhenCommitsAreCutOnTheWireDuringReplay() throws Exception {
        try (TestDatabase db = TestDatabases.postgres();
                FaultProxy proxy = FaultProxy.builder(db.host(), db.port()).withSeed(5).start()) {
            db.execute(ForwardFixture.CREATE_TABLE);
            PGSimpleDataSource target = (PGSimpleDataSource) ForwardFixture.postgres(
                    db.jdbcUrlVia(proxy.host(), proxy.port()), db.user(), db.password());
            target.setSslMode("disable"); // the proxy must read the protocol to find COMMITs
            Path journal = temp.resolve("journal");

            proxy.refuseNewConnections(true);
            bufferAll(ForwardFixture.bulwark(target, "pg-outage", CommitResolution.OFF), journal);
            proxy.refuseNewConnections(false);
            proxy.cutCommits(0.3);

            Replay replay = replay(ForwardFixture.bulwark(target, "pg-cut", CommitResolution.OFF), journal);
            proxy.stopCuttingCommits();

            long cut = proxy.stats().commitsCut();
            assertThat(cut).as("COMMITs cut during replay").isPositive();
            assertThat(replay.ambiguous()).as("replays that ended in 08007").isEqualTo(cut);
            // a cut COMMIT landed: the next attempt finds the key and only checkpoints (its own COMMIT may be cut
            // again, so a write can meet more than one cut)
            assertThat(replay.skipped()).as("writes found in the ledger on a later attempt").isPositive()
                    .isLessThanOrEqualTo(cut);
            assertExactlyN(db);
            System.out.printf("PostgreSQL: %d writes, %d COMMITs cut during replay, %d writes found applied on retry%n",
                    N, cut, replay.skipped());
        }
    }

    @Test
    void appliesEachWriteOnceWhenCommitAcknowledgementsAreLostOnSqlite() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute(ForwardFixture.CREATE_TABLE);
            Path journal = temp.resolve("journal");
            ChaosDataSource down = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(3)
                    .on(ChaosRule.atAcquire().fail("08001")).build());
            bufferAll(ForwardFixture.bulwark(down, "sqlite-outage", CommitResolution.OFF), journal);

            // Bulwark commits a SQLite writer's BEGIN IMMEDIATE with an executed COMMIT statement
            ChaosDataSource lossy = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(4)
                    .on(ChaosRule.atExecute().withSqlMatching("(?i)^\\s*commit").withRate(0.3).loseAcknowledgement())
                    .build());
            Replay replay = replay(ForwardFixture.bulwark(lossy, "sqlite-lossy", CommitResolution.OFF), journal);

            long lost = lossy.injections(FaultPoint.EXECUTE);
            assertThat(lost).as("acknowledgements lost during replay").isPositive();
            assertThat(replay.ambiguous()).isEqualTo(lost);
            assertThat(replay.skipped()).isPositive().isLessThanOrEqualTo(lost);
            assertExactlyN(db);
            System.out.printf("SQLite: %d writes, %d COMMIT acknowledgements lost during replay, %d found applied%n",
                    N, lost, replay.skipped());
        }
    }

    private static void bufferAll(BulwarkDataSource ds, Path journal) throws Exception {
        try (StoreAndForward writer = StoreAndForward.builder(ds, ForwardFixture.config(journal)).open()) {
            for (int i = 0; i < N; i++) {
                WriteResult result = writer.write(SqlWrite.of("c-" + i, ForwardFixture.INSERT, "c-" + i, i));
                assertThat(result).isEqualTo(new WriteResult.Buffered("c-" + i, i + 1));
            }
        }
    }

    private record Replay(long ambiguous, long skipped) {
    }

    private static Replay replay(BulwarkDataSource ds, Path journal) throws Exception {
        List<ForwardEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch drained = new CountDownLatch(1);
        try (StoreAndForward writer = StoreAndForward.builder(ds, ForwardFixture.config(journal)).withListener(e -> {
            events.add(e);
            if (e instanceof ForwardEvent.Drained) {
                drained.countDown();
            }
        }).open()) {
            writer.start();
            assertThat(drained.await(60, TimeUnit.SECONDS)).as("drained; events: %s", events.size()).isTrue();
            assertThat(writer.backlog().records()).isZero();
        }
        long ambiguous = events.stream().filter(e -> e instanceof ForwardEvent.ReplayPaused p && p.cause() != null
                && p.cause().kind() == FaultKind.AMBIGUOUS_COMMIT).count();
        long skipped = events.stream().filter(e -> e instanceof ForwardEvent.Replayed r && r.alreadyApplied()).count();
        assertThat(events.stream().filter(e -> e instanceof ForwardEvent.Replayed).count()).isEqualTo(N);
        assertThat(events).noneMatch(e -> e instanceof ForwardEvent.DeadLettered);
        return new Replay(ambiguous, skipped);
    }

    private static void assertExactlyN(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            assertThat(ForwardFixture.query(c, "SELECT COUNT(*) FROM sf_rows")).isEqualTo(N);
            assertThat(ForwardFixture.query(c, "SELECT COUNT(DISTINCT k) FROM sf_rows")).isEqualTo(N);
        }
    }

}
