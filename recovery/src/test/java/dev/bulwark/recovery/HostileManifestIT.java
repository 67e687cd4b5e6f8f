package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A backup directory rewritten by someone who can write it: the manifest and its SHA-256 edited together.
 * Restore must treat the manifest as data: no file outside the backup is read or created, no type runs
 * code, and a replacing restore does not reach into tables outside the backup unless asked.
 */
class HostileManifestIT {

    @TempDir
    Path root;

    /** Edits manifest.json and rewrites manifest.sha256 to match, as an attacker with write access would. */
    static void rewrite(Path backup, UnaryOperator<String> edit) throws Exception {
        Path manifest = backup.resolve("manifest.json");
        String edited = edit.apply(Files.readString(manifest));
        Files.writeString(manifest, edited);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(edited.getBytes(StandardCharsets.UTF_8));
        Files.writeString(backup.resolve("manifest.sha256"), HexFormat.of().formatHex(sha) + "  manifest.json\n");
    }

    private static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect();
             ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
            return rs.next();
        }
    }

    @Test
    void restoreDoesNotReadADataFileOutsideTheBackup() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE secret (id INT PRIMARY KEY, v TEXT)", "INSERT INTO secret VALUES (1, 'outside')");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            String file = backup.tables().get(0).file();
            Path outside = root.resolve("elsewhere.copy");
            Files.move(backup.directory().resolve(file), outside);
            rewrite(backup.directory(), json -> json.replace("\"file\": \"" + file + "\"", "\"file\": \"" + outside + "\"")
                    .replaceAll("(?s)\"files\": \\[.*\\]", "\"files\": []"));

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("tables[0].file")
                    .hasMessageContaining(outside.toString());
            assertThat(tableExists(target, "secret")).as("nothing was restored").isFalse();
        }
    }

    @Test
    void restoreDoesNotFollowARelativePathOutOfTheBackup() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE secret (id INT PRIMARY KEY, v TEXT)", "INSERT INTO secret VALUES (1, 'outside')");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            String file = backup.tables().get(0).file();
            Files.move(backup.directory().resolve(file), root.resolve("elsewhere.copy"));
            rewrite(backup.directory(), json -> json.replace("\"file\": \"" + file + "\"", "\"file\": \"../elsewhere.copy\"")
                    .replaceAll("(?s)\"files\": \\[.*\\]", "\"files\": []"));

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("../elsewhere.copy");
            assertThat(tableExists(target, "secret")).isFalse();
        }
    }

    @Test
    void restoreCreatesNoSqliteFileWhereAManifestPoints() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            Path planted = root.resolve("planted.sqlite");
            rewrite(backup.directory(), json -> json.replace("\"file\": \"database.sqlite\"",
                    "\"file\": \"" + planted + "\""));

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("tables[0].file");
            assertThat(planted).doesNotExist();
        }
    }

    @Test
    void verifyAndRestoreDoNotFollowASymbolicLink() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE secret (id INT PRIMARY KEY, v TEXT)", "INSERT INTO secret VALUES (1, 'outside')");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            Path data = backup.directory().resolve(backup.tables().get(0).file());
            Path outside = root.resolve("elsewhere.copy");
            Files.move(data, outside);
            Files.createSymbolicLink(data, outside);

            VerificationReport report = Backups.verify(backup.directory());
            assertThat(report.isIntact()).as(report.toString()).isFalse();
            assertThat(report.toString()).contains(backup.tables().get(0).file()).contains("symbolic link");
            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("symbolic link");
            assertThat(tableExists(target, "secret")).isFalse();
        }
    }

    @Test
    void aColumnTypeFromTheManifestCannotRunAFunction() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres();
             Connection victim = target.connect()) {
            int pid;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            source.execute("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            rewrite(backup.directory(), json -> json.replaceFirst("\"type\": \"integer\"",
                    "\"type\": \"integer CHECK (pg_terminate_backend(" + pid + "))\""));

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("tables[0].columns[0].type")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.CORRUPTED));
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the other session is alive").isTrue();
            }
            assertThat(tableExists(target, "t")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aReplacingRestoreDoesNotCascadeIntoTablesOutsideTheBackupUnlessAsked(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase source = BackupsIT.fresh(engine); TestDatabase target = BackupsIT.fresh(engine)) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO account VALUES (1, 'a')");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE account (id INT PRIMARY KEY, v VARCHAR(10))",
                    "CREATE TABLE audit (n INT PRIMARY KEY, account_id INT, FOREIGN KEY (account_id) REFERENCES account (id)"
                            + " ON DELETE CASCADE)");
            for (int i = 1; i <= 30; i++) {
                target.execute("INSERT INTO account VALUES (" + i + ", 'x')", "INSERT INTO audit VALUES (" + i + ", " + i + ")");
            }
            RestoreOptions replace = RestoreOptions.defaults().withReplaceNonEmptyTables(true);

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), replace))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("'audit'")
                    .hasMessageContaining("withCascadeOutsideBackup")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.WRONG_STATE));
            assertThat(count(target, "audit")).as("audit untouched").isEqualTo(30);
            assertThat(count(target, "account")).isEqualTo(30);

            Backups.restore(backup.directory(), target.dataSource(), replace.withCascadeOutsideBackup(true));
            assertThat(count(target, "account")).isEqualTo(1);
            assertThat(count(target, "audit")).as("asked for: the cascade ran").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB", "SQLITE"})
    void aReplacingRestoreRefusesToFireADeleteTriggerUnlessAsked(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase source = BackupsIT.fresh(engine); TestDatabase target = BackupsIT.fresh(engine)) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1), (2)",
                    "CREATE TABLE ledger (account_id INT)", "INSERT INTO ledger VALUES (1), (2)");
            if (engine == TestDatabase.Engine.POSTGRESQL) {
                target.execute("CREATE FUNCTION forget() RETURNS trigger LANGUAGE plpgsql AS"
                                + " 'BEGIN DELETE FROM ledger WHERE account_id = OLD.id; RETURN OLD; END'",
                        "CREATE TRIGGER forget AFTER DELETE ON account FOR EACH ROW EXECUTE FUNCTION forget()");
            } else if (engine == TestDatabase.Engine.MARIADB) {
                target.execute("CREATE TRIGGER forget AFTER DELETE ON account FOR EACH ROW"
                        + " DELETE FROM ledger WHERE account_id = OLD.id");
            } else { // SQLite: an INSERT trigger whose body deletes does not count, the DELETE trigger does
                target.execute("CREATE TRIGGER remember AFTER INSERT ON account BEGIN DELETE FROM ledger WHERE 0; END",
                        "CREATE TRIGGER forget AFTER DELETE ON account BEGIN DELETE FROM ledger WHERE account_id = OLD.id; END");
            }
            RestoreOptions replace = RestoreOptions.defaults().withReplaceNonEmptyTables(true);

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), replace))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("delete triggers ['forget' on 'account']")
                    .hasMessageContaining("withCascadeOutsideBackup")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.WRONG_STATE));
            assertThat(count(target, "ledger")).as("ledger untouched").isEqualTo(2);

            Backups.restore(backup.directory(), target.dataSource(), replace.withCascadeOutsideBackup(true));
            assertThat(count(target, "account")).isEqualTo(1);
            assertThat(count(target, "ledger")).as("asked for: the trigger ran").isZero();
        }
    }

    @Test
    void aReplacingRestoreIntoEmptyTablesIsNotRefusedForTheirReferences() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE account (id INT PRIMARY KEY)",
                    "CREATE TABLE audit (n INT PRIMARY KEY, account_id INT REFERENCES account (id) ON DELETE CASCADE)");
            assertThat(Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withReplaceNonEmptyTables(true))).hasSize(1);
        }
    }

    static long count(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
