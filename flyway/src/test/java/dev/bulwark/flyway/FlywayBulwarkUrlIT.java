package dev.bulwark.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Flyway migrates given nothing but a {@code jdbc:bulwark:} URL, on real PostgreSQL, MariaDB and SQLite. */
class FlywayBulwarkUrlIT {

    interface DbFactory {
        TestDatabase open() throws Exception;
    }

    static Stream<DbFactory> databases() {
        return Stream.of(TestDatabases::postgres, TestDatabases::mariadb, TestDatabases::sqlite);
    }

    private static String bulwarkUrl(TestDatabase db, String setting) {
        String url = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
        return url + (url.contains("?") ? "&" : "?") + setting;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migratesThroughTheBulwarkUrl(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open()) {
            String url = bulwarkUrl(db, "bulwark.retry.maxAttempts=5");
            Flyway flyway = Flyway.configure().dataSource(url, db.user(), db.password())
                    .locations("classpath:db/bulwarkflyway").load();
            MigrateResult result = flyway.migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isEqualTo(2);
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sum(balance) FROM account")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(150);
            }
            assertThat(flyway.migrate().migrationsExecuted).as("a second migrate finds nothing to do").isZero();
        }
    }

    @Test
    void theUrlMatchIsExactAndPlainDataSourcesKeepFlywaysOwnTypes() {
        BulwarkPostgreSQLDatabaseType pg = new BulwarkPostgreSQLDatabaseType();
        assertThat(pg.handlesJDBCUrl("jdbc:bulwark:postgresql://h/db")).isTrue();
        assertThat(pg.handlesJDBCUrl("JDBC:BULWARK:POSTGRESQL://h/db")).isTrue();
        assertThat(pg.handlesJDBCUrl("jdbc:postgresql://h/db")).isFalse();
        assertThat(pg.handlesJDBCUrl("jdbc:bulwark:mariadb://h/db")).isFalse();
        assertThat(pg.handlesDatabaseProductNameAndVersion("PostgreSQL", "15.0", null)).isFalse();
        assertThat(new BulwarkMariaDBDatabaseType().handlesJDBCUrl("jdbc:bulwark:mariadb://h/db")).isTrue();
        assertThat(new BulwarkMySQLDatabaseType().handlesJDBCUrl("jdbc:bulwark:mysql://h/db")).isTrue();
        assertThat(new BulwarkSQLiteDatabaseType().handlesJDBCUrl("jdbc:bulwark:sqlite:/tmp/a.db")).isTrue();
        assertThat(pg.getDriverClass("jdbc:bulwark:postgresql://h/db", getClass().getClassLoader()))
                .isEqualTo("dev.bulwark.jdbc.BulwarkDriver");
    }

    @Test
    void aPlainPostgresUrlStillMigratesWithFlywaysOwnType() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            MigrateResult result = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                    .locations("classpath:db/bulwarkflyway").load().migrate();
            assertThat(result.migrationsExecuted).isEqualTo(2);
        }
    }
}
