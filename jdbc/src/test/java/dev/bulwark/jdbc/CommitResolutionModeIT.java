package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An explicitly configured commit resolution strategy that cannot work on the database is a configuration
 * error: the first acquisition fails with a message naming the setting and why, every later one fails the same
 * way at once (the database is not inspected again), nothing is retried and the breaker does not count it.
 */
class CommitResolutionModeIT {

    private static BulwarkConfig mode(CommitResolution mode) {
        return BulwarkConfig.builder().withJdbc(JdbcConfig.builder().withCommitResolution(mode)
                .withCreateCommitLedger(false).build()).build();
    }

    @Test
    void anExplicitLedgerWithoutItsTableFailsLoudlyAndIsNotProbedAgain() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withConfig(mode(CommitResolution.LEDGER))
                    .withListener(events::add).build();

            SQLException first = catchThrowableOfType(SQLException.class, ds::getConnection);
            db.execute("CREATE TABLE bulwark_commit_ledger (unit_id VARCHAR(64) PRIMARY KEY,"
                    + " created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
            for (int i = 0; i < 5; i++) {
                SQLException again = catchThrowableOfType(SQLException.class, ds::getConnection);
                assertThat((Object) again).as("the configuration error stays until the data source is rebuilt")
                        .isNotNull();
                assertThat(again.getMessage()).contains("bulwark.jdbc.commitResolution=ledger");
            }

            assertThat((Object) first).as("an explicit LEDGER without its table must not start silently")
                    .isNotNull();
            assertThat(first.getMessage()).contains("bulwark.jdbc.commitResolution=ledger")
                    .contains("bulwark_commit_ledger").contains("configuration error");
            assertThat(first.getSQLState()).isEqualTo("0A000");
            assertThat(events).as("not retried, not counted by the breaker")
                    .noneMatch(e -> e instanceof PolicyEvent.RetryScheduled)
                    .noneMatch(e -> e instanceof PolicyEvent.BreakerTransition);
        }
    }

    @Test
    void anExplicitTransactionIdOnMariaDbFailsLoudly() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withConfig(mode(CommitResolution.TRANSACTION_ID))
                    .withListener(events::add).build();

            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> 1));

            assertThat((Object) e).isNotNull();
            assertThat(e.getMessage()).contains("bulwark.jdbc.commitResolution=transaction-id")
                    .contains("not PostgreSQL");
            assertThat(events).noneMatch(x -> x instanceof PolicyEvent.RetryScheduled)
                    .noneMatch(x -> x instanceof PolicyEvent.BreakerTransition);
        }
    }
}
