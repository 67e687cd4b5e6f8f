package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The ledger strategy against a real MariaDB server. */
class LedgerResolverMariaDbIT extends LedgerContract {

    @Override
    TestDatabase open() throws Exception {
        return TestDatabases.mariadb();
    }

    @Override
    void insertOldRows(int count) throws SQLException {
        db.execute("INSERT INTO " + TABLE + " (unit_id, created_at) SELECT CONCAT('old-', seq),"
                + " CURRENT_TIMESTAMP(3) - INTERVAL 2 DAY FROM seq_0_to_" + (count - 1));
    }

    @Test
    void killsConnectionStillHoldingMarkerThenResolvesNotCommitted() throws SQLException {
        try (Connection abandoned = begin(1)) {
            CommitToken.Ledger token = (CommitToken.Ledger) resolver.prepare(abandoned);

            Resolution resolution = resolver.resolve(token, fresh, BUDGET);

            assertThat(token.sessionId()).isPositive();
            assertThat(resolution.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
            assertThatThrownBy(() -> abandoned.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(ledgerIds()).isEmpty();
    }

    @Test
    void autoPicksLedgerWhereTableExistsAndOffWhereNot() throws SQLException {
        ResolutionSettings auto = ResolutionSettings.defaults();

        assertThat(CommitResolvers.select(auto, fresh).strategy()).isEqualTo(CommitResolution.LEDGER);
        assertThat(CommitResolvers.select(auto.withLedgerTable("absent_ledger"), fresh).strategy())
                .isEqualTo(CommitResolution.OFF);
    }

    @Test
    void refusesTransactionIdModeWithReason() {
        ResolutionSettings xid = ResolutionSettings.defaults().withMode(CommitResolution.TRANSACTION_ID);

        assertThatThrownBy(() -> CommitResolvers.select(xid, fresh))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("not PostgreSQL");
    }
}
