package dev.bulwark.cli.internal;

import dev.bulwark.recovery.Backups;
import dev.bulwark.recovery.ManifestKey;
import dev.bulwark.recovery.RestoreOptions;
import dev.bulwark.recovery.TableChecksum;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark restore <dir> <url>}: verifies a backup and loads it into a database of the same kind in
 * one transaction, each table checked against its recorded checksum ({@link Backups#restore}).
 *
 * <p>Exit codes: 0 restored, 1 refused or failed (nothing committed), 2 bad arguments, 3 cannot connect.
 * Not thread-safe.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a verified backup into a database of the same kind, all or nothing.")
final class RestoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<backup-dir>", description = "A directory written by bulwark backup.")
    private Path directory;

    @Parameters(index = "1", paramLabel = "<jdbc-url>",
            description = "The database to restore into (a SQLite file is created if missing).")
    private String url;

    @Option(names = "--replace", description = "Delete the rows of non-empty tables first (in the same transaction).")
    private boolean replace;

    @Option(names = "--cascade-outside-backup", description = "With --replace: delete even when that reaches tables"
            + " outside the backup (their ON DELETE rules, inheriting tables, delete triggers run); without it such a"
            + " restore is refused.")
    private boolean cascade;

    @Option(names = "--key-file", paramLabel = "<file>", defaultValue = "${env:" + BackupDirectory.KEY_FILE_VARIABLE + "}",
            description = BackupDirectory.KEY_FILE_DESCRIPTION)
    private Path keyFile;

    @Option(names = "--user", description = "Database user; the password comes from $BULWARK_CLI_PASSWORD or a prompt.")
    private String user;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "<seconds>",
            description = "Give up connecting after this many seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws SQLException, IOException, UnreachableException, InterruptedException {
        Path dir = BackupDirectory.check(spec.commandLine(), directory);
        int timeout = Timeouts.check(spec.commandLine(), timeoutSeconds);
        ManifestKey key = BackupDirectory.key(spec.commandLine(), keyFile);
        CliDatabase db = CliDatabase.of(spec.commandLine(), "<jdbc-url>", url, user, null, false);
        PrintWriter out = spec.commandLine().getOut();
        out.println("bulwark restore: " + dir + " -> " + db.display() + (replace ? " (replacing rows)" : ""));
        out.flush();
        db.probe(timeout);
        List<TableChecksum> restored;
        try {
            RestoreOptions options = RestoreOptions.defaults().withReplaceNonEmptyTables(replace)
                    .withCascadeOutsideBackup(cascade);
            restored = Backups.restore(dir, db.dataSource(), key == null ? options : options.withManifestKey(key));
        } catch (SQLException e) {
            SQLException line = ErrorLine.of(e); // one line, no row data
            throw new SQLException(withOptionNames(line.getMessage()), line.getSQLState(), line.getErrorCode());
        }
        for (TableChecksum t : restored) {
            out.printf("  %-30s %,12d rows  sha256 %s  matches the backup%n", t.table(), t.rowCount(), t.sha256());
        }
        out.printf("%d table(s) restored and verified.%n", restored.size());
        out.flush();
        return 0;
    }

    /** The library names its Java options ({@code RestoreOptions.with...}); the command line names its own. */
    static String withOptionNames(String message) {
        return message.replace("RestoreOptions.withCascadeOutsideBackup(true) (CLI: --cascade-outside-backup)",
                        "--cascade-outside-backup")
                .replace("RestoreOptions.withReplaceNonEmptyTables(true)", "--replace");
    }
}
