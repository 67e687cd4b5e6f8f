package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static dev.bulwark.recovery.DestructiveStatementSnapshotsIT.columns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlywayCheckpointIT {

    private static final String V1 = """
            CREATE TABLE account (id INT PRIMARY KEY, owner VARCHAR(100) NOT NULL, balance DECIMAL(12,2));
            INSERT INTO account VALUES (1, 'ann', 10.50), (2, 'bob', 20.25), (3, 'cy', NULL);
            """;
    /** Changes the table, drops a column, creates another table, then fails: MariaDB keeps all of it. */
    private static final String V2_FAILING = """
            ALTER TABLE account ADD COLUMN note VARCHAR(20);
            UPDATE account SET note = 'migrated', owner = 'changed';
            ALTER TABLE account DROP COLUMN balance;
            CREATE TABLE audit (id INT PRIMARY KEY);
            INSERT INTO no_such_table VALUES (1);
            """;

    @TempDir
    Path temp;

    private Flyway flyway(TestDatabase db, Path migrations) {
        return Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + migrations)
                .cleanDisabled(true).load();
    }

    private Path migrations(String... scripts) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("migrations"));
        for (int i = 0; i < scripts.length; i++) {
            Files.writeString(dir.resolve("V" + (i + 1) + "__step.sql"), scripts[i]);
        }
        return dir;
    }

    private static List<TableChecksum> checksums(TestDatabase db, String... tables) throws Exception {
        try (Connection c = db.connect()) {
            List<TableChecksum> sums = new java.util.ArrayList<>();
            for (String table : tables) {
                sums.add(TableChecksum.compute(c, table));
            }
            return sums;
        }
    }

    @Test
    void aFailedMigrationOnMariaDbIsRolledBackToTheCheckpoint() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            Path checkpoints = temp.resolve("checkpoints");
            FlywayCheckpoint checkpoint = FlywayCheckpoint.builder(checkpoints).build();
            assertThat(checkpoint.migrate(flyway(db, migrations(V1))).migrationsExecuted).isEqualTo(1);
            List<TableChecksum> before = checksums(db, "account", "flyway_schema_history");
            List<String> columnsBefore = columns(db, "account");

            Flyway failing = flyway(db, migrations(V1, V2_FAILING));
            assertThatThrownBy(() -> checkpoint.migrate(failing))
                    .isInstanceOf(RecoveryException.class)
                    .hasMessageContaining("the migration failed and the schema was restored from checkpoint "
                            + checkpoints.toAbsolutePath().normalize().resolve("checkpoint-"))
                    .hasMessageContaining("no_such_table")
                    .hasCauseInstanceOf(FlywayException.class);

            assertThat(columns(db, "account")).isEqualTo(columnsBefore);
            assertThat(checksums(db, "account", "flyway_schema_history")).isEqualTo(before);
            try (Connection c = db.connect();
                 var tables = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                List<String> names = new java.util.ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString("TABLE_NAME"));
                }
                assertThat(names).as("the table V2 created is gone").containsExactlyInAnyOrder("account", "flyway_schema_history");
            }
            assertThat(failing.info().current().getVersion().getVersion()).isEqualTo("1");
            try (var dirs = Files.list(checkpoints)) {
                assertThat(dirs.count()).as("one checkpoint per migrate call").isEqualTo(2);
            }
        }
    }

    @Test
    void postgresqlNeedsNoCheckpointBecauseItsDdlRollsBack() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Path checkpoints = temp.resolve("checkpoints");
            FlywayCheckpoint checkpoint = FlywayCheckpoint.builder(checkpoints).build();
            checkpoint.migrate(Flyway.configure().dataSource(db.dataSource()).schemas(db.name())
                    .locations("filesystem:" + migrations(V1)).load());
            List<TableChecksum> before = checksums(db, "account");
            Flyway failing = Flyway.configure().dataSource(db.dataSource()).schemas(db.name())
                    .locations("filesystem:" + migrations(V1, V2_FAILING)).load();

            assertThatThrownBy(() -> checkpoint.migrate(failing)).isInstanceOf(FlywayException.class)
                    .hasMessageContaining("no_such_table");
            assertThat(checksums(db, "account")).as("PostgreSQL rolled V2 back itself").isEqualTo(before);
            assertThat(columns(db, "account")).containsExactly("id", "owner", "balance");
            assertThat(Files.exists(checkpoints)).as("no checkpoint was taken").isFalse();
        }
    }
}
