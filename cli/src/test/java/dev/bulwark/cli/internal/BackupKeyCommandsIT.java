package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --key-file} on backup, verify and restore: a rewritten manifest passes SHA-256 but not the key. */
class BackupKeyCommandsIT {

    @TempDir
    Path tmp;

    @Test
    void aKeyedBackupRefusesARewrittenManifest() throws Exception {
        Path key = tmp.resolve("backup.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        try (TestDatabase source = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE account (id INTEGER PRIMARY KEY)", "INSERT INTO account VALUES (1)");
            Path backup = tmp.resolve("b");
            CliRun made = CliRun.of("backup", source.jdbcUrl(), backup.toString(), "--key-file", key.toString());
            assertThat(made.exitCode()).as(made.err()).isZero();
            CliRun verified = CliRun.of("verify", backup.toString(), "--key-file", key.toString());
            assertThat(verified.out()).contains("manifest authenticated by the key");

            Path manifest = backup.resolve("manifest.json");
            String edited = Files.readString(manifest).replace("\"rows\": 1", "\"rows\": 1 ");
            Files.writeString(manifest, edited);
            Files.writeString(backup.resolve("manifest.sha256"), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(edited.getBytes(StandardCharsets.UTF_8))) + "  manifest.json\n");

            assertThat(CliRun.of("verify", backup.toString()).exitCode()).as("SHA-256 alone passes").isZero();
            CliRun keyed = CliRun.of("verify", backup.toString(), "--key-file", key.toString());
            assertThat(keyed.exitCode()).isEqualTo(1);
            assertThat(keyed.out()).contains("manifest.hmac");
            CliRun restore = CliRun.of("restore", backup.toString(), "jdbc:sqlite:" + tmp.resolve("r.db"),
                    "--key-file", key.toString());
            assertThat(restore.exitCode()).isEqualTo(1);
            assertThat(restore.err().strip()).contains("manifest.hmac").doesNotContain("\n");
        }
    }

    @Test
    void aKeyFileOthersCanReadIsAUsageError() throws Exception {
        Path key = tmp.resolve("backup.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun run = CliRun.of("backup", "jdbc:sqlite:" + tmp.resolve("x.db"), tmp.resolve("b").toString(),
                "--key-file", key.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--key-file").contains("chmod 600");
    }
}
