package dev.bulwark.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark journal}: the parent of {@code inspect} and {@code drain}, which work on a store-and-forward
 * journal directory. Not thread-safe.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Inspect or drain a store-and-forward journal.",
        subcommands = {JournalInspectCommand.class, JournalDrainCommand.class})
final class JournalCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Without a subcommand: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: inspect or drain");
    }

    /**
     * The absolute journal directory, if it holds a journal; otherwise a usage error naming it. Opening a
     * missing directory would create an empty journal, which a command that reads one must not do.
     */
    static Path checkDirectory(CommandLine cli, Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cli, "<journal-dir> " + dir + " is not a directory");
        }
        try (var files = Files.list(dir)) {
            if (files.noneMatch(f -> f.getFileName().toString().matches("segment-\\d{20}\\.log"))) {
                throw new ParameterException(cli, "<journal-dir> " + dir + " holds no segment-*.log file: not a journal");
            }
        } catch (java.io.IOException e) {
            throw new ParameterException(cli, "<journal-dir> " + dir + " cannot be listed: " + e.getMessage());
        }
        return dir;
    }
}
