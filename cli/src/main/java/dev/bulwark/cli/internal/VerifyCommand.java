package dev.bulwark.cli.internal;

import dev.bulwark.recovery.Backup;
import dev.bulwark.recovery.Backups;
import dev.bulwark.recovery.ManifestKey;
import dev.bulwark.recovery.VerificationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark verify <dir> [--key-file <file>]}: recomputes the SHA-256 of a backup's manifest and of every
 * file ({@link Backups#verify}), with a key also checks the manifest's HMAC, and names each file that does not match.
 *
 * <p>Exit codes: 0 intact, 1 a file is damaged, missing or unexpected, 2 not a backup directory.
 * Not thread-safe.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check every file of a backup against the SHA-256 its manifest records.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<backup-dir>", description = "A directory written by bulwark backup.")
    private Path directory;

    @Option(names = "--key-file", paramLabel = "<file>", defaultValue = "${env:" + BackupDirectory.KEY_FILE_VARIABLE + "}",
            description = BackupDirectory.KEY_FILE_DESCRIPTION)
    private Path keyFile;

    @Override
    public Integer call() throws SQLException, IOException {
        Path dir = BackupDirectory.check(spec.commandLine(), directory);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ManifestKey key = BackupDirectory.key(spec.commandLine(), keyFile);
        VerificationReport report = key == null ? Backups.verify(dir) : Backups.verify(dir, key);
        if (!report.isIntact()) {
            out.println("bulwark verify: " + dir + ": " + report.mismatches().size() + " of "
                    + report.filesChecked() + " file(s) do not match");
            for (VerificationReport.Mismatch m : report.mismatches()) {
                out.printf("  MISMATCH %s: expected %s, found %s%n", m.file(), m.expected(), m.actual());
            }
            out.flush();
            err.println("bulwark verify: backup " + dir + " is damaged; do not restore it");
            return CliDatabase.FAILED;
        }
        Backup backup = Backups.open(dir);
        out.printf("bulwark verify: %s: intact (%d files checked%s)%n", dir, report.filesChecked(),
                key == null ? "; SHA-256 only, which catches accidents, not a rewritten manifest: see --key-file"
                        : ", manifest authenticated by the key");
        out.printf("  created %s from %s (%s, Bulwark %s)%n", backup.createdAt(), backup.source(),
                backup.database(), backup.bulwarkVersion());
        for (Backup.Table t : backup.tables()) {
            out.printf("  %-30s %,12d rows  sha256 %s%n", t.name(), t.rowCount(), t.checksum());
        }
        out.flush();
        return 0;
    }
}
