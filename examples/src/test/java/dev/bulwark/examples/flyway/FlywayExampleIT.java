package dev.bulwark.examples.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The Flyway example migrates a SQLite file through the {@code jdbc:bulwark:} URL. */
class FlywayExampleIT {

    @Test
    void migratesGivenTheBulwarkUrlItself() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            String bulwarkUrl = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());

            MigrateResult result = FlywayExample.migrate(bulwarkUrl, null, null);

            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isEqualTo(2);
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM example_customer")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            assertThat(FlywayExample.migrate(bulwarkUrl, null, null).migrationsExecuted).as("already migrated").isZero();
        }
    }

    @Test
    void migratesThroughAPoolConfiguredWithTheBulwarkUrlToo() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            String bulwarkUrl = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
            assertThat(FlywayExample.migrateWithPool(bulwarkUrl, null, null).migrationsExecuted).isEqualTo(2);
            assertThat(FlywayExample.migrate(bulwarkUrl, null, null).migrationsExecuted).as("same history").isZero();
        }
    }
}
