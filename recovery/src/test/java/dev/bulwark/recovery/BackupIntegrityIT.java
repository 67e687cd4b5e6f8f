package dev.bulwark.recovery;

import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupIntegrityIT {

    @TempDir
    Path root;

    private static void twoTables(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE first (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE second (id INT PRIMARY KEY, first_id INT REFERENCES first (id))",
                "INSERT INTO first VALUES (1, 'one'), (2, 'two')", "INSERT INTO second VALUES (10, 1), (20, 2)");
    }

    private static String state(SQLException e) {
        return e.getSQLState();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void verifyNamesAOneByteCorruptionAndRestoreRefusesIt(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase source = BackupsIT.fresh(engine); TestDatabase target = BackupsIT.fresh(engine)) {
            twoTables(source);
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            String file = backup.tables().get(0).file();
            Path data = backup.directory().resolve(file);
            byte[] bytes = Files.readAllBytes(data);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(data, bytes);

            VerificationReport report = Backups.verify(backup.directory());
            assertThat(report.isIntact()).isFalse();
            assertThat(report.mismatches()).singleElement().satisfies(m -> {
                assertThat(m.file()).isEqualTo(file);
                assertThat(m.actual()).isNotEqualTo(m.expected()).hasSize(64);
            });
            assertThat(report.toString()).contains(file);

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining(file)
                    .satisfies(e -> assertThat(state((SQLException) e)).isEqualTo(RecoveryException.CORRUPTED));
            try (Connection c = target.connect()) {
                assertThat(c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "first", null).next())
                        .as("nothing was written").isFalse();
            }
        }
    }

    @Test
    void anEditedManifestIsReportedByItsOwnChecksum() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            twoTables(source);
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            Path manifest = backup.directory().resolve("manifest.json");
            Files.writeString(manifest, Files.readString(manifest).replace("\"rows\": 2", "\"rows\": 3"));
            assertThat(Backups.verify(backup.directory()).mismatches())
                    .extracting(VerificationReport.Mismatch::file).containsExactly("manifest.json");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aBackupThatFailsMidwayLeavesNothingThatLooksComplete(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase source = BackupsIT.fresh(engine)) {
            twoTables(source);
            String secondTable = engine == TestDatabase.Engine.MARIADB ? "FROM `second`" : "FROM \"second\"";
            ChaosDataSource failing = ChaosDataSource.wrap(source.dataSource(), ChaosPlan.builder()
                    .on(ChaosRule.atExecute().withSqlMatching(java.util.regex.Pattern.quote(secondTable)).fail("XX000"))
                    .build());
            Path target = root.resolve("b");
            assertThatThrownBy(() -> Backups.create(failing, target, BackupOptions.defaults()))
                    .isInstanceOf(SQLException.class);
            assertThat(failing.injections(dev.bulwark.testkit.FaultPoint.EXECUTE)).isEqualTo(1);
            assertThat(target).doesNotExist();
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left.toList()).as("the partial directory is removed").isEmpty();
            }
        }
    }

    @Test
    void backupFilesAreReadableByTheOwnerOnly() throws Exception {
        try (TestDatabase source = TestDatabases.postgres()) {
            twoTables(source);
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.directory())))
                    .isEqualTo("rwx------");
            try (Stream<Path> all = Files.walk(backup.directory())) {
                List<Path> files = all.filter(p -> !p.equals(backup.directory())).toList();
                assertThat(files).hasSizeGreaterThanOrEqualTo(5); // manifest, its checksum, data/, two data files
                for (Path p : files) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                            .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
                }
            }
        }
    }

    @Test
    void restoreRefusesNonEmptyTablesUnlessToldToReplaceThem() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            twoTables(source);
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults());
            target.execute("UPDATE first SET v = 'changed'");
            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("non-empty tables ['first', 'second']")
                    .satisfies(e -> assertThat(state((SQLException) e)).isEqualTo(RecoveryException.WRONG_STATE));
            List<TableChecksum> sums = Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withReplaceNonEmptyTables(true));
            assertThat(sums).extracting(TableChecksum::rowCount).containsExactly(2L, 2L);
            assertThat(TableChecksum.compute(target.dataSource(), "first")).isEqualTo(backup.checksumOf("first"));
        }
    }

    @Test
    void restoreRefusesAnotherKindOfDatabase() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.postgres()) {
            twoTables(source);
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("SQLITE")
                    .satisfies(e -> assertThat(state((SQLException) e)).isEqualTo(RecoveryException.NOT_SUPPORTED));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void hostileIdentifiersSurviveBackupAndRestore(TestDatabase.Engine engine) throws Exception {
        boolean maria = engine == TestDatabase.Engine.MARIADB;
        String parent = "par\"ent`; DROP TABLE x; --";
        String child = "select";
        try (TestDatabase source = BackupsIT.fresh(engine); TestDatabase target = BackupsIT.fresh(engine)) {
            if (maria) {
                source.execute("CREATE TABLE `par\"ent``; DROP TABLE x; --` (`ké y` INT PRIMARY KEY, `or\"der` TEXT)"
                                + " CHARACTER SET utf8mb4",
                        "CREATE TABLE `select` (`from` INT PRIMARY KEY, `p` INT REFERENCES `par\"ent``; DROP TABLE x; --` (`ké y`))",
                        "INSERT INTO `par\"ent``; DROP TABLE x; --` VALUES (1, 'tab\\there'), (2, NULL)",
                        "INSERT INTO `select` VALUES (5, 1), (6, 2)");
            } else {
                source.execute("CREATE TABLE \"par\"\"ent`; DROP TABLE x; --\" (\"ké y\" INT PRIMARY KEY, \"or\"\"der\" TEXT)",
                        "CREATE TABLE \"select\" (\"from\" INT PRIMARY KEY, \"p\" INT REFERENCES \"par\"\"ent`; DROP TABLE x; --\" (\"ké y\"))",
                        "INSERT INTO \"par\"\"ent`; DROP TABLE x; --\" VALUES (1, 'tab\there'), (2, NULL)",
                        "INSERT INTO \"select\" VALUES (5, 1), (6, 2)");
            }
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"),
                    BackupOptions.builder().withTables(child, parent).build());
            List<TableChecksum> restored = Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults());
            assertThat(restored).extracting(TableChecksum::table).containsExactly(parent, child);
            assertThat(TableChecksum.compute(target.dataSource(), parent)).isEqualTo(TableChecksum.compute(source.dataSource(), parent));
            assertThat(TableChecksum.compute(target.dataSource(), child)).isEqualTo(TableChecksum.compute(source.dataSource(), child));
        }
    }

    @Test
    void unknownTablesAreRefusedBeforeAnythingIsWritten() throws Exception {
        try (TestDatabase source = TestDatabases.postgres()) {
            twoTables(source);
            assertThatThrownBy(() -> Backups.create(source.dataSource(), root.resolve("b"),
                    BackupOptions.builder().withTables("first", "missing").build()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("'missing' does not exist");
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left.toList()).isEmpty();
            }
        }
    }

    @Test
    void pruneKeepsTheNewestAndTheYoung() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            twoTables(source);
            for (String name : List.of("b1", "b2", "b3", "b4")) {
                Backups.create(source.dataSource(), root.resolve(name), BackupOptions.defaults());
            }
            Files.createDirectory(root.resolve("not-a-backup"));
            assertThat(Backups.prune(root, Retention.keepLast(3))).containsExactly(root.resolve("b1").toAbsolutePath());
            Clock muchLater = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
            assertThat(Backups.prune(root, Retention.keepLast(1).orYoungerThan(Duration.ofDays(1)), muchLater))
                    .containsExactlyInAnyOrder(root.resolve("b2").toAbsolutePath(), root.resolve("b3").toAbsolutePath());
            assertThat(Backups.prune(root, Retention.keepYoungerThan(Duration.ofDays(3)), muchLater)).isEmpty();
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("b4", "not-a-backup");
            }
        }
    }

    @Test
    void theManifestRecordsSourceWithoutCredentialsVersionAndFiles() throws Exception {
        try (TestDatabase source = TestDatabases.postgres()) {
            twoTables(source);
            String url = source.jdbcUrl() + "&password=hunter2";
            javax.sql.DataSource withPassword = new org.postgresql.ds.PGSimpleDataSource() {
                {
                    setURL(url);
                    setUser(source.user());
                }
            };
            Backup backup = Backups.create(withPassword, root.resolve("b"), BackupOptions.defaults());
            String manifest = Files.readString(backup.directory().resolve("manifest.json"));
            assertThat(manifest).doesNotContain("hunter2").contains("\"formatVersion\": 1")
                    .contains("\"bulwarkVersion\": \"0.1.0-SNAPSHOT\"").contains("\"sha256\"")
                    .contains("\"primaryKey\"").contains("\"references\": \"first\"");
            assertThat(backup.database()).isEqualTo("POSTGRESQL");
        }
    }
}
