package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The shipped ledger migration, applied by Flyway exactly as docs/transactions.md tells users to. */
class LedgerMigrationFlywayIT {

    @Test
    void shippedMigrationCreatesLedgerThatLedgerModeAccepts() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE account (id INT PRIMARY KEY)");
            MigrateResult result = Flyway.configure()
                    .dataSource(db.dataSource())
                    .schemas(db.name())
                    .locations("classpath:META-INF/bulwark/migrations/postgresql")
                    .table("bulwark_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            ConnectionSource fresh = ConnectionSource.of(db.dataSource());
            ResolutionSettings settings = ResolutionSettings.defaults().withMode(CommitResolution.LEDGER);

            CommitResolver resolver = CommitResolvers.select(settings, fresh);
            CommitToken token;
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                token = resolver.prepare(c);
                c.commit();
            }

            assertThat(result.migrationsExecuted).isEqualTo(1);
            assertThat(resolver.resolve(token, fresh, Duration.ofSeconds(10)).outcome())
                    .isEqualTo(CommitOutcome.COMMITTED);
        }
    }
}
