package dev.bulwark.cli.internal;

import dev.bulwark.recovery.ManifestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The {@code <backup-dir>} argument of {@code verify} and {@code restore}, and their {@code --key-file}. Stateless. */
final class BackupDirectory {

    private BackupDirectory() {
    }

    /**
     * The absolute directory, if it holds a manifest.
     *
     * @throws ParameterException naming the directory if it is missing or holds no {@code manifest.json}
     */
    static Path check(CommandLine cli, Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cli, "<backup-dir> " + dir + " is not a directory");
        }
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new ParameterException(cli, "<backup-dir> " + dir + " holds no manifest.json: not a backup"
                    + " written by bulwark backup (or an unfinished one)");
        }
        return dir;
    }

    /** The environment variable naming the key file when {@code --key-file} is not given. */
    static final String KEY_FILE_VARIABLE = "BULWARK_CLI_BACKUP_KEY_FILE";
    /** The option's description, shared by backup, verify and restore. */
    static final String KEY_FILE_DESCRIPTION = "A file holding the key that authenticates the manifest"
            + " (HMAC-SHA256; at least 32 bytes, e.g. openssl rand -hex 32; owner-only, chmod 600);"
            + " default: $" + KEY_FILE_VARIABLE + ".";

    /**
     * The manifest key from {@code --key-file} (or its environment variable), or null when neither is set.
     *
     * @throws ParameterException naming the option when the file is unreadable, too short or not private
     */
    static ManifestKey key(CommandLine cli, Path keyFile) {
        if (keyFile == null) {
            return null;
        }
        try {
            return ManifestKey.fromFile(keyFile);
        } catch (IllegalArgumentException | IOException e) {
            throw new ParameterException(cli, "--key-file: " + e.getMessage());
        }
    }
}
