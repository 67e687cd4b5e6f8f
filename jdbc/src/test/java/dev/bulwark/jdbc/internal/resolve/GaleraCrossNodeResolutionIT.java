package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.testkit.GaleraCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lost-commit resolution on a Galera cluster when the resolution reaches another node than the unit's
 * transaction ran on (a failover or load-balancing URL): thread ids are per node, so the session id in the
 * token names an unrelated session there. The unit holds its uncommitted marker on node 0; on node 1 a decoy
 * with the very same thread id sits idle holding a gap lock over the ledger, so the probe on node 1 does wait
 * (HELD) although the marker's owner is not there. The decoy must survive and the answer must not be wrong.
 */
class GaleraCrossNodeResolutionIT {

    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final String TABLE = LedgerTable.DEFAULT_NAME;
    private static GaleraCluster galera;

    @BeforeAll
    static void startCluster() {
        galera = GaleraCluster.builder().withNodes(2).start();
    }

    @AfterAll
    static void stopCluster() {
        if (galera != null) {
            galera.close();
        }
    }

    private static Connection connect(int node) throws SQLException {
        return DriverManager.getConnection(galera.jdbcUrl(node), galera.user(), galera.password());
    }

    private static long threadId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean markerOn(int node, String unitId) throws SQLException {
        try (Connection c = connect(node); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM " + TABLE + " WHERE unit_id = '" + unitId + "'")) {
                return rs.next();
            }
        }
    }

    @Test
    void aResolutionOnAnotherNodeNeverEndsTheSessionThatHasTheUnitsThreadIdThereAndAnswersRightly() throws Exception {
        ConnectionSource onNode1 = () -> connect(1);
        CommitResolver resolver = CommitResolvers.select(LedgerContract.ledgerSettings(), onNode1);
        // A unit's session on node 0 and a decoy on node 1 with the same thread id: advance the lower counter.
        Connection unit = connect(0);
        Connection decoy = connect(1);
        for (int i = 0; threadId(unit) != threadId(decoy); i++) {
            assertThat(i).as("thread ids of the two nodes did not meet").isLessThan(5_000);
            if (threadId(unit) < threadId(decoy)) {
                unit.close();
                unit = connect(0);
            } else {
                decoy.close();
                decoy = connect(1);
            }
        }
        try (Connection u = unit; Connection d = decoy) {
            // The decoy: idle in a transaction holding next-key locks over the whole ledger index.
            d.setAutoCommit(false);
            try (Statement s = d.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT unit_id FROM " + TABLE + " WHERE unit_id >= '' FOR UPDATE")) {
                while (rs.next()) {
                    // locks taken while reading
                }
            }
            u.setAutoCommit(false);
            CommitToken.Ledger token = (CommitToken.Ledger) resolver.prepare(u);
            assertThat(token.sessionId()).isEqualTo(threadId(d));
            assertThat(token.server()).endsWith(":" + galera.port(0));

            Resolution held = resolver.resolve(token, onNode1, BUDGET);

            // The probe on node 1 waits on the decoy's gap lock (HELD), never on the marker: no answer but UNKNOWN
            // (a probe that did not wait would answer NOT_COMMITTED; without the server check the decoy is ended).
            assertThat(held.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
            assertThat(threadId(d)).as("the decoy on node 1 survives").isEqualTo(token.sessionId());
            assertThat(threadId(u)).as("the unit's own session on node 0 is not ended from node 1").isPositive();

            d.rollback();
            u.rollback();   // the unit's transaction ends without committing
            Resolution rolledBack = resolver.resolve(token, onNode1, BUDGET);
            assertThat(rolledBack.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
            assertThat(markerOn(0, token.unitId())).isFalse();
            assertThat(markerOn(1, token.unitId())).isFalse();

            CommitToken.Ledger committed = (CommitToken.Ledger) resolver.prepare(u);
            u.commit();
            assertThat(resolver.resolve(committed, onNode1, BUDGET).outcome()).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(markerOn(1, committed.unitId())).isTrue();
        }
    }
}
