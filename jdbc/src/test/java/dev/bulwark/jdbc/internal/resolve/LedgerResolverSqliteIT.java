package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ledger strategy against a real SQLite file. */
class LedgerResolverSqliteIT extends LedgerContract {

    @Override
    TestDatabase open() throws Exception {
        return TestDatabases.sqlite();
    }

    @Override
    void insertOldRows(int count) throws SQLException {
        db.execute("INSERT INTO " + TABLE + " (unit_id, created_at) WITH RECURSIVE n(i) AS"
                + " (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (count - 1) + ")"
                + " SELECT 'old-' || i, strftime('%Y-%m-%d %H:%M:%f', 'now', '-2 days') FROM n");
    }

    @Test
    void staysUnknownWhileAnotherConnectionHoldsTheWriteLockThenResolves() throws SQLException {
        CommitToken token;
        Resolution whileHeld;
        try (Connection holder = begin(1)) {
            token = resolver.prepare(holder);

            whileHeld = resolver.resolve(token, fresh, Duration.ofMillis(300));

            holder.rollback();
        }
        assertThat(whileHeld.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
        assertThat(whileHeld.detail()).contains("still open");
        assertThat(resolver.resolve(token, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
    }
}
