package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The ledger strategy against a real PostgreSQL server. */
class LedgerResolverPostgresIT extends LedgerContract {

    @Override
    TestDatabase open() throws Exception {
        return TestDatabases.postgres();
    }

    @Override
    void insertOldRows(int count) throws SQLException {
        db.execute("INSERT INTO " + TABLE + " (unit_id, created_at) SELECT 'old-' || i,"
                + " CURRENT_TIMESTAMP - INTERVAL '2 days' FROM generate_series(0, " + (count - 1) + ") i");
    }

    @Test
    void terminatesBackendStillHoldingMarkerThenResolvesNotCommitted() throws SQLException {
        try (Connection abandoned = begin(1)) {
            CommitToken token = resolver.prepare(abandoned);

            Resolution resolution = resolver.resolve(token, fresh, BUDGET);

            assertThat(resolution.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
            assertThatThrownBy(() -> abandoned.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
    }
}
