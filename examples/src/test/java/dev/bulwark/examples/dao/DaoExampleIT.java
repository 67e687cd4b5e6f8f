package dev.bulwark.examples.dao;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/** The DAO example on PostgreSQL: the transfer commits, the overdraft rolls back entirely. */
class DaoExampleIT {

    @Test
    void appliesTheTransferAndRollsBackTheOverdraft() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            DaoExample.Balances b = DaoExample.run(db.dataSource());

            assertThat(b.first()).isEqualTo(7_000);
            assertThat(b.second()).isEqualTo(13_000);
            assertThat(b.refusal()).startsWith("23514").contains("account 1 would be overdrawn");
        }
    }
}
