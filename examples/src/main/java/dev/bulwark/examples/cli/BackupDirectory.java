package dev.bulwark.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The {@code <backup-dir>} argument of {@code verify} and {@code restore}. Stateless. */
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
}
