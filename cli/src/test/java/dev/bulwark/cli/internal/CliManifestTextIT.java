package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest rewritten by someone who can write the backup directory is data: {@code bulwark verify} prints its
 * table names and source, and must not pass terminal control sequences (ESC, carriage return) through to the
 * operator's terminal, where they could clear or rewrite what verify printed.
 */
class CliManifestTextIT {

    @TempDir
    Path tmp;

    @Test
    void verifyPrintsNoControlCharactersFromTheManifest() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(tmp)) {
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            Path backup = tmp.resolve("b");
            assertThat(CliRun.of("backup", source.jdbcUrl(), backup.toString()).exitCode()).isZero();
            Path manifest = backup.resolve("manifest.json");
            String edited = Files.readString(manifest)
                    .replace("\"name\": \"t\"", "\"name\": \"t\\u001b[2J\\u001b[H\\rall good\"")
                    .replaceFirst("\"source\": \"[^\"]*\"", "\"source\": \"x\\u001b]0;owned\\u0007\"");
            Files.writeString(manifest, edited);
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(edited.getBytes(StandardCharsets.UTF_8));
            Files.writeString(backup.resolve("manifest.sha256"), HexFormat.of().formatHex(sha) + "  manifest.json\n");

            CliRun run = CliRun.of("verify", backup.toString());
            assertThat(run.out() + run.err()).as(run.out() + run.err()).doesNotContain("\u001b").doesNotContain("\r")
                    .doesNotContain("\u0007");
        }
    }
}
