package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SHA-256 catches accidents; an attacker who rewrites the manifest rewrites its checksum too. With a
 * {@link ManifestKey}, verify and restore catch the attacker.
 */
class AuthenticatedManifestIT {

    @TempDir
    Path root;

    private static final ManifestKey KEY = ManifestKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final ManifestKey OTHER = ManifestKey.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));

    private static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect();
             ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
            return rs.next();
        }
    }

    @Test
    void aRewrittenManifestPassesItsSha256ButNotTheKey() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY, cents BIGINT)", "INSERT INTO account VALUES (1, 100)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"),
                    BackupOptions.builder().withManifestKey(KEY).build());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.directory().resolve("manifest.hmac"))))
                    .isEqualTo("rw-------");
            assertThat(Backups.verify(backup.directory(), KEY).isIntact()).isTrue();

            HostileManifestIT.rewrite(backup.directory(), json -> json.replace("\"source\": \"", "\"source\": \"x"));
            assertThat(Backups.verify(backup.directory()).isIntact()).as("SHA-256 alone cannot tell").isTrue();
            VerificationReport keyed = Backups.verify(backup.directory(), KEY);
            assertThat(keyed.mismatches()).extracting(VerificationReport.Mismatch::file).containsExactly("manifest.hmac");
            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withManifestKey(KEY)))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("manifest.hmac")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.CORRUPTED));
            assertThat(tableExists(target, "account")).isFalse();
        }
    }

    @Test
    void aRemovedHmacOrAnotherKeyIsRefused() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Backup backup = Backups.create(source.dataSource(), root.resolve("b"),
                    BackupOptions.builder().withManifestKey(KEY).build());
            assertThat(Backups.verify(backup.directory(), OTHER).isIntact()).isFalse();
            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withManifestKey(OTHER))).hasMessageContaining("a different HMAC");
            Files.delete(backup.directory().resolve("manifest.hmac"));
            assertThatThrownBy(() -> Backups.restore(backup.directory(), target.dataSource(),
                    RestoreOptions.defaults().withManifestKey(KEY))).hasMessageContaining("missing");
            assertThat(tableExists(target, "account")).isFalse();
            assertThat(Backups.restore(backup.directory(), target.dataSource(), RestoreOptions.defaults()))
                    .as("without a key only the SHA-256 is checked").hasSize(1);
        }
    }

    @Test
    void aKeyFileMustBeLongEnoughAndPrivate() throws Exception {
        Path file = root.resolve("key");
        Files.writeString(file, "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ManifestKey.fromFile(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(ManifestKey.fromFile(file)).hasToString("ManifestKey[****]");
        Files.writeString(file, "short");
        assertThatThrownBy(() -> ManifestKey.fromFile(file)).hasMessageContaining("at least 32 bytes");
        Path link = root.resolve("link");
        Files.createSymbolicLink(link, file);
        assertThatThrownBy(() -> ManifestKey.fromFile(link)).hasMessageContaining("symbolic link");
    }

    @Test
    void pruneWithAKeyNeitherCountsNorDeletesDirectoriesItDoesNotAuthenticate() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Path backups = Files.createDirectory(root.resolve("backups"));
            BackupOptions keyed = BackupOptions.builder().withManifestKey(KEY).build();
            Backup older = Backups.create(source.dataSource(), backups.resolve("1"), keyed);
            Backup newer = Backups.create(source.dataSource(), backups.resolve("2"), keyed);
            Backup unkeyed = Backups.create(source.dataSource(), backups.resolve("3"), BackupOptions.defaults());
            Backup otherKey = Backups.create(source.dataSource(), backups.resolve("4"),
                    BackupOptions.builder().withManifestKey(OTHER).build());

            assertThat(Backups.prune(backups, Retention.keepLast(1), KEY)).containsExactly(older.directory());
            assertThat(newer.directory()).exists();
            assertThat(unkeyed.directory()).as("not authenticated: left alone").exists();
            assertThat(otherKey.directory()).as("not authenticated: left alone").exists();
        }
    }

    @Test
    void pruneLeavesAManifestDatedInTheFutureAloneAndDoesNotCountIt() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Path backups = Files.createDirectory(root.resolve("backups"));
            Backup older = Backups.create(source.dataSource(), backups.resolve("1"), BackupOptions.defaults());
            Backup newer = Backups.create(source.dataSource(), backups.resolve("2"), BackupOptions.defaults());
            Path forged = Files.createDirectory(backups.resolve("forged"));
            Files.writeString(forged.resolve("manifest.json"), Files.readString(newer.directory().resolve("manifest.json"))
                    .replaceFirst("\"createdAt\": \"[^\"]+\"", "\"createdAt\": \"2999-01-01T00:00:00Z\""));

            assertThat(Backups.prune(backups, Retention.keepLast(1))).containsExactly(older.directory());
            assertThat(newer.directory()).as("the newest genuine backup").exists();
            assertThat(forged).as("dated in the future: left alone").exists();
        }
    }
}
