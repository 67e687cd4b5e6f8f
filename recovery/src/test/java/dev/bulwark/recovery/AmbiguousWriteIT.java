package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.FaultKind;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A direct write whose COMMIT is cut on the wire (it committed on the server; the client saw the connection
 * die) ends in 08007 with Bulwark's resolution off. The writer buffers it; the replay finds its key in the
 * ledger and only checkpoints it. One row. Then an outage (connections refused) on the same wire: buffered,
 * replayed, one row each. On PostgreSQL (ON CONFLICT DO NOTHING) and MariaDB (INSERT IGNORE).
 */
class AmbiguousWriteIT {

    @TempDir
    Path temp;

    @Test
    void buffersAnAmbiguousCommitAndAppliesItOnceOnPostgres() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            buffersAnAmbiguousCommitAndAppliesItOnce(db);
        }
    }

    @Test
    void buffersAnAmbiguousCommitAndAppliesItOnceOnMariaDb() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            buffersAnAmbiguousCommitAndAppliesItOnce(db);
        }
    }

    private void buffersAnAmbiguousCommitAndAppliesItOnce(TestDatabase db) throws Exception {
        db.execute(ForwardFixture.CREATE_TABLE);
        List<ForwardEvent> events = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            BulwarkDataSource ds = ForwardFixture.bulwark(db.dataSourceVia(proxy.host(), proxy.port()),
                    "ambiguous-" + db.engine(), CommitResolution.OFF, false);
            try (StoreAndForward writer = StoreAndForward.builder(ds, ForwardFixture.config(temp.resolve("journal")))
                    .withListener(events::add).open()) {
                assertThat(writer.write(SqlWrite.of("warm", ForwardFixture.INSERT, "warm", 0)))
                        .isEqualTo(new WriteResult.Committed("warm"));

                proxy.cutOnCommit(1);
                WriteResult cut = writer.write(SqlWrite.of("cut", ForwardFixture.INSERT, "cut", 1));

                assertThat(proxy.stats().commitsCut()).isEqualTo(1);
                assertThat(cut).isEqualTo(new WriteResult.Buffered("cut", 1));
                assertThat(events).anyMatch(e -> e instanceof ForwardEvent.Buffered b && b.cause() != null
                        && b.cause().kind() == FaultKind.AMBIGUOUS_COMMIT);
                ReplayReport first = writer.drain();
                assertThat(first.skipped()).as("the cut COMMIT had landed").isEqualTo(1);
                assertThat(first.applied()).isZero();

                proxy.refuseNewConnections(true);
                proxy.cutAllConnections();
                assertThat(writer.write(SqlWrite.of("down", ForwardFixture.INSERT, "down", 2)))
                        .isEqualTo(new WriteResult.Buffered("down", 2));
                assertThat(writer.drain().stoppedBy()).isPresent();
                proxy.refuseNewConnections(false);
                ReplayReport second = writer.drain();
                assertThat(second.applied()).isEqualTo(1);
                assertThat(second.remaining()).isZero();
            }
        }
        try (Connection c = db.connect()) {
            assertThat(ForwardFixture.query(c, "SELECT COUNT(*) FROM sf_rows")).isEqualTo(3);
            assertThat(ForwardFixture.query(c, "SELECT COUNT(*) FROM sf_rows WHERE k = 'cut'")).isEqualTo(1);
            assertThat(ForwardFixture.query(c,
                    "SELECT COUNT(*) FROM bulwark_commit_ledger WHERE unit_id IN ('warm', 'cut', 'down')")).isEqualTo(3);
        }
    }
}
