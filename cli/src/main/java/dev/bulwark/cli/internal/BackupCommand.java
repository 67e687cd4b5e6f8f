package dev.bulwark.cli.internal;

import dev.bulwark.recovery.Backup;
import dev.bulwark.recovery.BackupOptions;
import dev.bulwark.recovery.Backups;
import dev.bulwark.recovery.ManifestKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark backup <url> <dir>}: a consistent, verified backup of a database's tables
 * ({@link Backups#create}).
 *
 * <p>Exit codes: 0 written, 1 the backup failed, 2 bad arguments, 3 cannot connect. Not thread-safe.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a consistent backup of a database's tables into a new directory.")
final class BackupCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<jdbc-url>", description = "The database to back up.")
    private String url;

    @Parameters(index = "1", paramLabel = "<dir>", description = "The backup directory to create; must not exist, its parent must.")
    private Path directory;

    @Option(names = "--tables", split = ",", paramLabel = "<table>",
            description = "Only these tables (comma-separated; default: every table).")
    private List<String> tables;

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
        Path dir = directory.toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            throw new ParameterException(spec.commandLine(), "<dir> " + dir + " already exists; a backup goes into a new directory");
        }
        if (!Files.isDirectory(dir.getParent())) {
            throw new ParameterException(spec.commandLine(), "<dir>: parent directory " + dir.getParent() + " does not exist");
        }
        ManifestKey key = BackupDirectory.key(spec.commandLine(), keyFile);
        BackupOptions options;
        try {
            BackupOptions.Builder builder = BackupOptions.builder();
            if (tables != null) {
                builder.withTables(tables.toArray(String[]::new));
            }
            if (key != null) {
                builder.withManifestKey(key);
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tables: " + e.getMessage());
        }
        CliDatabase db = CliDatabase.of(spec.commandLine(), "<jdbc-url>", url, user, null, true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("bulwark backup: " + db.display() + " -> " + dir);
        out.flush();
        db.probe(Timeouts.check(spec.commandLine(), timeoutSeconds));
        Backup backup;
        try {
            backup = Backups.create(db.dataSource(), dir, options);
        } catch (SQLException e) {
            throw ErrorLine.of(e); // one line, no row data
        }
        for (Backup.Table t : backup.tables()) {
            out.printf("  %-30s %,12d rows  sha256 %s%n", t.name(), t.rowCount(), t.checksum());
        }
        out.printf("%d table(s) backed up at %s; check it any time with: bulwark verify %s%n",
                backup.tables().size(), backup.createdAt(), dir);
        out.flush();
        return 0;
    }
}
