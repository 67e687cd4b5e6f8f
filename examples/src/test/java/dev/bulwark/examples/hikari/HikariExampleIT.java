package dev.bulwark.examples.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/** The HikariCP example against PostgreSQL and a SQLite file. */
class HikariExampleIT {

    @Test
    void insertsThreeOrdersThroughAWrappedPoolOnPostgresql() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            assertThat(HikariExample.run(db.jdbcUrl(), db.user(), db.password())).isEqualTo(3);
        }
    }

    @Test
    void insertsThreeOrdersThroughAWrappedPoolOnSqlite() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            assertThat(HikariExample.run(db.jdbcUrl(), null, null)).isEqualTo(3);
        }
    }
}
