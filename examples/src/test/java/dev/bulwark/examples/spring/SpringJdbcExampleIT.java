package dev.bulwark.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/** JdbcTemplate inside a Bulwark unit of work uses the unit's connection, commits and rolls back with it. */
class SpringJdbcExampleIT {

    @Test
    void jdbcTemplateJoinsTheUnitOfWork() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            SpringJdbcExample.Outcome o = SpringJdbcExample.run(db.dataSource());

            assertThat(o.rowsAfterCommit()).isEqualTo(2);
            assertThat(o.rowsAfterRollback()).as("the template's insert rolled back with the unit").isEqualTo(2);
            assertThat(o.templateSawUncommittedRow()).isTrue();
            assertThat(o.sameConnection()).isTrue();
            assertThat(o.rollbackSqlState()).isEqualTo("P0001");
        }
    }
}
