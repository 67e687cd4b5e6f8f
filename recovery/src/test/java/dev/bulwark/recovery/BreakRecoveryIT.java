package dev.bulwark.recovery;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Adversarial review of the recovery module's hostile-input fixes (issue 13 items 2, 4, 7): inputs that
 * still break what docs/recovery.md promises.
 */
class BreakRecoveryIT {

    @TempDir
    Path root;

    private static String q(TestDatabase db, String name) {
        return db.engine() == TestDatabase.Engine.MARIADB ? '`' + name + '`' : '"' + name + '"';
    }

    /**
     * "A replacing restore refuses when tables outside the backup have foreign keys to the replaced tables":
     * the check only looks at referencing tables of the target's own schema (PostgreSQL) / database (MariaDB),
     * so an {@code ON DELETE CASCADE} from another schema deletes that schema's rows without being asked.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aReplacingRestoreDoesNotCascadeIntoAnotherSchemaUnlessAsked(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase source = BackupsIT.fresh(engine); TestDatabase target = BackupsIT.fresh(engine);
             TestDatabase other = BackupsIT.fresh(engine)) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1), (2), (3)");
            String account = q(target, target.name()) + "." + q(target, "account");
            other.execute("CREATE TABLE audit (n INT PRIMARY KEY, account_id INT, FOREIGN KEY (account_id) REFERENCES "
                    + account + " (id) ON DELETE CASCADE)", "INSERT INTO audit VALUES (1, 1), (2, 2), (3, 3)");

            Throwable thrown = catchThrowable(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withReplaceNonEmptyTables(true)));
            assertThat(HostileManifestIT.count(other, "audit")).as("rows of a table outside the backup (another schema)")
                    .isEqualTo(3);
            assertThat(thrown).isInstanceOf(RecoveryException.class).hasMessageContaining("audit");
        }
    }

    /**
     * PostgreSQL inheritance: {@code DELETE FROM parent} also deletes the rows of child tables, which are
     * outside the backup; a replacing restore empties them without being asked.
     */
    @Test
    void aReplacingRestoreDoesNotDeleteTheRowsOfAnInheritingTable() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE account (id INT)", "INSERT INTO account VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE account (id INT)", "INSERT INTO account VALUES (1)",
                    "CREATE TABLE archived_account () INHERITS (account)",
                    "INSERT INTO archived_account VALUES (7), (8), (9)");

            Throwable thrown = catchThrowable(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withReplaceNonEmptyTables(true)));
            assertThat(HostileManifestIT.count(target, "ONLY archived_account"))
                    .as("rows of a table outside the backup (inherits from a restored table); restore threw " + thrown)
                    .isEqualTo(3);
        }
    }

    /**
     * Undo of a statement snapshot replaces with the cascade allowed ({@code SchemaRewind} passes
     * {@code cascadeOutside=true}): a table that started referencing the saved table after the snapshot loses
     * its rows through ON DELETE CASCADE, silently. docs/recovery.md ("Undo") does not say so.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void undoDoesNotSilentlyCascadeIntoATableOutsideTheSnapshot(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = BackupsIT.fresh(engine)) {
            db.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1), (2)");
            DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(root.resolve("s")).build();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM account"); // snapshot: account only (nothing references it yet)
            }
            db.execute("INSERT INTO account VALUES (5)",
                    "CREATE TABLE audit (n INT PRIMARY KEY, account_id INT, FOREIGN KEY (account_id) REFERENCES account (id)"
                            + " ON DELETE CASCADE)", "INSERT INTO audit VALUES (1, 5)");

            Throwable thrown = catchThrowable(() -> snapshots.undoLast(ds));
            assertThat(HostileManifestIT.count(db, "audit")).as("audit is not in the snapshot; undo threw " + thrown)
                    .isEqualTo(1);
        }
    }

    /** A value that a careless restore (existing target column of another type) puts into the server's message. */
    static final String CANARY = "CANARY-5e1f";

    /**
     * "A database error while loading a table is reported ... with the server's reason on one line and no row data":
     * a text value with a double quote (or a newline) defeats ServerText's trailing {@code : "..."} redaction on
     * PostgreSQL ({@code invalid input syntax for type integer: "CANARY-5e1f""}).
     */
    @Test
    void aRestoreErrorOnPostgresCarriesNoRowDataEvenWithAQuoteOrNewlineInTheValue() throws Exception {
        for (String value : new String[] {CANARY + "\"", CANARY + "\nx", "x: \"" + CANARY}) {
            try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
                source.execute("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
                try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (1, ?)")) {
                    ps.setString(1, value);
                    ps.executeUpdate();
                }
                Backup backup = Backups.create(source.dataSource(), root.resolve("b" + value.hashCode()), BackupOptions.defaults());
                target.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)"); // an operator's older schema
                Throwable thrown = catchThrowable(() -> Backups.restore(backup.directory(), target.dataSource(),
                        RestoreOptions.defaults()));
                assertThat(thrown).isInstanceOf(RecoveryException.class);
                assertThat(thrown.getMessage()).as("value %s", value).doesNotContain(CANARY);
            }
        }
    }

    /** The same on MariaDB: a single quote inside the value ends ServerText's quoted-literal redaction early. */
    @Test
    void aRestoreErrorOnMariaDbCarriesNoRowDataEvenWithAQuoteInTheValue() throws Exception {
        try (TestDatabase source = TestDatabases.mariadb(); TestDatabase target = TestDatabases.mariadb()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40))");
            try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (1, ?)")) {
                ps.setString(1, "'" + CANARY);
                ps.executeUpdate();
            }
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
            Throwable thrown = catchThrowable(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults()));
            assertThat(thrown).isInstanceOf(RecoveryException.class);
            assertThat(thrown.getMessage()).doesNotContain(CANARY);
        }
    }

    /**
     * A manifest is parsed recursively: a rewritten manifest of nested arrays makes verify and restore throw
     * StackOverflowError instead of the documented RecoveryException (XX001).
     */
    @Test
    void aDeeplyNestedManifestIsRefusedAsCorrupted() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            HostileManifestIT.rewrite(backup.directory(), json -> "[".repeat(200_000) + "]".repeat(200_000));

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.CORRUPTED));
            assertThatThrownBy(() -> Backups.open(backup.directory())).isInstanceOf(RecoveryException.class);
        }
    }

    /**
     * Names the target would truncate are refused before anything is written (42622): also a foreign key's
     * referenced table. PostgreSQL truncates a 70-byte name in REFERENCES to 63 bytes, so a manifest can make a
     * recreated table reference an existing table outside the backup.
     */
    @Test
    void anOverlongReferencedTableNameIsRefusedBeforeAnythingIsWritten() throws Exception {
        String outside = "o".repeat(63);
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE p (id INT PRIMARY KEY)", "CREATE TABLE c (id INT PRIMARY KEY, p INT REFERENCES p (id))",
                    "INSERT INTO p VALUES (1)", "INSERT INTO c VALUES (1, 1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"),
                    BackupOptions.builder().withTables("c").build());
            target.execute("CREATE TABLE " + outside + " (id INT PRIMARY KEY)", "INSERT INTO " + outside + " VALUES (1)");
            HostileManifestIT.rewrite(backup.directory(), json -> json.replace("\"references\": \"p\"",
                    "\"references\": \"" + outside + "-and-more\""));

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.NAME_TOO_LONG));
            try (Connection c = target.connect();
                 ResultSet rs = c.getMetaData().getTables(null, target.name(), "c", null)) {
                assertThat(rs.next()).as("table c was created referencing %s", outside).isFalse();
            }
        }
    }

    /** Replaces a listed file's digest and size in the manifest (and the manifest's SHA-256), as an attacker would. */
    static void relist(Path backup, String file) throws Exception {
        byte[] bytes = Files.readAllBytes(backup.resolve(file));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        HostileManifestIT.rewrite(backup, json -> json.replaceAll("(\"path\": \"" + java.util.regex.Pattern.quote(file)
                + "\",\\s*\"sha256\": \")[0-9a-f]{64}(\",\\s*\"bytes\": )\\d+", "$1" + sha + "$2" + bytes.length));
    }

    /**
     * "A data file that cannot be read or parsed as its format ... is XX001 naming tables[i].file": on MariaDB a
     * binary column's field that is not hex escapes as an unchecked IllegalArgumentException from HexFormat.
     */
    @Test
    void aBinaryFieldThatIsNotHexIsACorruptedBackupOnMariaDb() throws Exception {
        try (TestDatabase source = TestDatabases.mariadb(); TestDatabase target = TestDatabases.mariadb()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY, b VARBINARY(10))", "INSERT INTO t VALUES (1, x'01')");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            String file = backup.tables().get(0).file();
            Files.writeString(backup.directory().resolve(file), "1\tzz\n");
            relist(backup.directory(), file);
            assertThat(Backups.verify(backup.directory()).isIntact()).isTrue();

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("tables[0].file")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.CORRUPTED));
        }
    }

    /**
     * "A backup directory is data, not instructions": a SQLite backup's image is opened and each table read with
     * SELECT, so an image whose "table" is a VIEW runs the view's query during the restore. A recursive CTE view
     * returns rows without end (the restore inserts into the target until its disk is full); here it returns the
     * table's own three rows, so the checksums match and the restore commits what the view computed.
     */
    @Test
    void aSqliteImageWhoseTableIsAViewIsRefused() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            Path image = backup.directory().resolve(backup.tables().get(0).file());
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + image); Statement s = c.createStatement()) {
                s.execute("DROP TABLE t");
                s.execute("CREATE VIEW t AS WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n) "
                        + "SELECT id FROM n LIMIT 3"); // without LIMIT: endless
            }
            relist(backup.directory(), backup.tables().get(0).file());
            assertThat(Backups.verify(backup.directory()).isIntact()).as(Backups.verify(backup.directory()).toString()).isTrue();

            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("not a table");
        }
    }

    /**
     * The replacing restore's DELETE fires the target's ON DELETE triggers, which may change tables outside the
     * backup; docs/recovery.md only speaks of foreign keys ("does not reach tables outside the backup unless asked").
     */
    @Test
    void aReplacingRestoreDoesNotReachOutsideTheBackupThroughADeleteTrigger() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"), BackupOptions.defaults());
            target.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1), (2)",
                    "CREATE TABLE ledger (account_id INT)", "INSERT INTO ledger VALUES (1), (2)",
                    "CREATE FUNCTION forget() RETURNS trigger LANGUAGE plpgsql AS"
                            + " 'BEGIN DELETE FROM ledger WHERE account_id = OLD.id; RETURN OLD; END'",
                    "CREATE TRIGGER forget BEFORE DELETE ON account FOR EACH ROW EXECUTE FUNCTION forget()");

            Throwable thrown = catchThrowable(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withReplaceNonEmptyTables(true)));
            assertThat(HostileManifestIT.count(target, "ledger")).as("ledger is outside the backup; restore threw " + thrown)
                    .isEqualTo(2);
        }
    }

    /**
     * "A table's error ... is the server's reason on one line without row data": without withContinueOnError a
     * RuntimeException of the copy (a SQLite DATE column holding text that is not a date, parsed on the way to
     * PostgreSQL) is rethrown as it is, and java.time puts the whole value into its message.
     */
    @Test
    void aCopyErrorCarriesNoRowDataWithoutContinueOnError() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, d DATE)", "INSERT INTO t VALUES (1, '" + CANARY + "')");
            Throwable thrown = catchThrowable(() -> TableCopy.builder(source.dataSource(), target.dataSource()).build().run());
            assertThat(thrown).isNotNull();
            assertThat(thrown.getMessage()).doesNotContain(CANARY);
            assertThat(thrown).isInstanceOf(RecoveryException.class);
        }
    }

    /**
     * "Other directories and partial backups are left alone": a directory under the root whose manifest.json is
     * malformed (a half-copied backup, an editor's leftover) makes prune throw, so retention stops for every backup.
     */
    @Test
    void pruneLeavesADirectoryWithAMalformedManifestAloneAndPrunesTheOthers() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Path backups = Files.createDirectory(root.resolve("backups"));
            Backups.create(source.dataSource(), backups.resolve("1"), BackupOptions.defaults());
            Backups.create(source.dataSource(), backups.resolve("2"), BackupOptions.defaults());
            Path broken = Files.createDirectory(backups.resolve("copy-in-progress"));
            Files.writeString(broken.resolve("manifest.json"), "{\"formatVersion\": 1, ");

            java.util.List<Path> deleted = Backups.prune(backups, Retention.keepLast(1));
            assertThat(deleted).hasSize(1);
            assertThat(broken).exists();
        }
    }

    /**
     * prune orders backups by the manifest's createdAt, which anyone who can add a directory under the root writes:
     * forged "backups" dated in the future make keepLast(n) delete every genuine backup. (With a ManifestKey, prune
     * still reads unauthenticated manifests: it takes no key.)
     */
    @Test
    void pruneDoesNotDeleteGenuineBackupsBecauseOfForgedCreationTimes() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Path backups = Files.createDirectory(root.resolve("backups"));
            Backup genuine = Backups.create(source.dataSource(), backups.resolve("genuine"), BackupOptions.defaults());
            Path forged = Files.createDirectory(backups.resolve("forged"));
            Files.writeString(forged.resolve("manifest.json"), Files.readString(genuine.directory().resolve("manifest.json"))
                    .replaceFirst("\"createdAt\": \"[^\"]+\"", "\"createdAt\": \"2999-01-01T00:00:00Z\""));

            Backups.prune(backups, Retention.keepLast(1));
            assertThat(genuine.directory()).as("the only genuine backup").exists();
        }
    }
}
