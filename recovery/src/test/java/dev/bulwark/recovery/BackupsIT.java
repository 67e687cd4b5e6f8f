package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackupsIT {

    @TempDir
    Path root;

    static TestDatabase fresh(TestDatabase.Engine engine) throws Exception {
        return switch (engine) {
            case POSTGRESQL -> TestDatabases.postgres();
            case MARIADB -> TestDatabases.mariadb();
            case SQLITE -> TestDatabases.sqlite();
        };
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void backupUnderConcurrentWritesIsAConsistentSnapshotThatRestoresAndVerifies(TestDatabase.Engine engine)
            throws Exception {
        try (TestDatabase source = fresh(engine); TestDatabase target = fresh(engine)) {
            Backup backup;
            long commitsBefore;
            long commitsAfter;
            try (Bank bank = new Bank(source)) {
                bank.create();
                bank.startWriter();
                bank.awaitCommits(20);
                commitsBefore = bank.commits();
                backup = Backups.create(source.dataSource(), root.resolve("b1"), BackupOptions.defaults());
                commitsAfter = bank.commits();
                bank.awaitCommits(5);
            }
            assertThat(commitsAfter).as("the writer kept committing while the backup ran").isGreaterThan(commitsBefore);
            assertThat(backup.tables()).extracting(Backup.Table::name).containsExactly("account", "checking", "savings");
            assertThat(backup.source()).contains(source.engine() == TestDatabase.Engine.SQLITE ? "jdbc:sqlite:" : "jdbc:");
            long accounts = backup.checksumOf("account").rowCount();
            assertThat(accounts).isGreaterThanOrEqualTo(Bank.ACCOUNTS);
            assertThat(backup.checksumOf("checking").rowCount()).isEqualTo(accounts);
            assertThat(backup.checksumOf("savings").rowCount()).isEqualTo(accounts);

            VerificationReport report = Backups.verify(backup.directory());
            assertThat(report.isIntact()).as(report.toString()).isTrue();

            List<TableChecksum> restored = Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults());
            assertThat(restored).hasSize(3);
            assertThat(Backups.verify(backup.directory()).isIntact()).as("restoring leaves the backup untouched").isTrue();
            try (Connection c = target.connect()) {
                assertThat(Bank.total(c)).as("the bank's total in the restored snapshot").isEqualTo(Bank.TOTAL);
                for (Backup.Table table : backup.tables()) {
                    assertThat(TableChecksum.compute(c, table.name())).isEqualTo(backup.checksumOf(table.name()));
                }
                List<String> referenced = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getImportedKeys(c.getCatalog(), c.getSchema(), "checking")) {
                    while (rs.next()) {
                        referenced.add(rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME"));
                    }
                }
                assertThat(referenced).as("foreign key recreated").containsExactly("account.id");
            }
            try (var files = Files.list(root)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("b1");
            }
        }
    }
}
