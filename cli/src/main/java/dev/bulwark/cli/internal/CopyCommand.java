package dev.bulwark.cli.internal;

import dev.bulwark.recovery.ConflictStrategy;
import dev.bulwark.recovery.CopyProgress;
import dev.bulwark.recovery.CopyReport;
import dev.bulwark.recovery.TableCopy;
import java.io.PrintWriter;
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
 * {@code bulwark copy <source-url> <target-url>}: copies tables between databases of any kind in
 * checkpointed chunks ({@link TableCopy}), printing progress, then verifies every table by checksum on both
 * sides.
 *
 * <p>Exit codes: 0 copied and verified (or, with {@code --dry-run}, planned), 1 a table failed or does not
 * verify, 2 bad arguments, 3 a database cannot be reached. Not thread-safe.
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy tables between databases (resumable), then verify them by checksum.")
final class CopyCommand implements Callable<Integer> {

    /** Environment variable for the source's password (else $BULWARK_CLI_PASSWORD). */
    static final String SOURCE_PASSWORD = "BULWARK_CLI_SOURCE_PASSWORD";
    /** Environment variable for the target's password (else $BULWARK_CLI_PASSWORD). */
    static final String TARGET_PASSWORD = "BULWARK_CLI_TARGET_PASSWORD";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<source-url>", description = "The database to copy from.")
    private String sourceUrl;

    @Parameters(index = "1", paramLabel = "<target-url>",
            description = "The database to copy into (a SQLite file is created if missing).")
    private String targetUrl;

    @Option(names = "--tables", split = ",", paramLabel = "<table>",
            description = "Only these tables (comma-separated; default: every table of the source).")
    private List<String> tables;

    @Option(names = "--dry-run", description = "Report what would be copied; write nothing.")
    private boolean dryRun;

    @Option(names = "--conflict", defaultValue = "fail", paramLabel = "fail|skip|overwrite",
            description = "A source row whose key exists in the target: fail the table, skip the row, or overwrite it"
                    + " (default: ${DEFAULT-VALUE}).")
    private ConflictStrategy conflict;

    @Option(names = "--copy-id", paramLabel = "<id>",
            description = "Checkpoint name: a run with the same id resumes an interrupted one (default: default).")
    private String copyId;

    @Option(names = "--chunk-size", defaultValue = "1000", paramLabel = "<rows>",
            description = "Rows per chunk and per target transaction (default: ${DEFAULT-VALUE}).")
    private int chunkSize;

    @Option(names = "--source-user", description = "Source user; password from $" + SOURCE_PASSWORD
            + ", $BULWARK_CLI_PASSWORD or a prompt.")
    private String sourceUser;

    @Option(names = "--target-user", description = "Target user; password from $" + TARGET_PASSWORD
            + ", $BULWARK_CLI_PASSWORD or a prompt.")
    private String targetUser;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "<seconds>",
            description = "Give up connecting after this many seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws SQLException, UnreachableException, InterruptedException {
        int timeout = Timeouts.check(spec.commandLine(), timeoutSeconds);
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be 1 to 100,000 rows, was " + chunkSize);
        }
        CliDatabase source = CliDatabase.of(spec.commandLine(), "<source-url>", sourceUrl, sourceUser, SOURCE_PASSWORD, true);
        CliDatabase target = CliDatabase.of(spec.commandLine(), "<target-url>", targetUrl, targetUser, TARGET_PASSWORD, false);
        PrintWriter out = spec.commandLine().getOut();
        out.println("bulwark copy: " + source.display() + " -> " + target.display() + (dryRun ? " (dry run)" : ""));
        out.flush();
        TableCopy.Builder copy = TableCopy.builder(source.dataSource(), target.dataSource())
                .withChunkSize(chunkSize)
                .withConflictStrategy(conflict)
                .withDryRun(dryRun)
                .withContinueOnError(true)
                .withListener(p -> progress(out, p));
        try {
            if (tables != null) {
                copy.withTables(tables.toArray(String[]::new));
            }
            if (copyId != null) {
                copy.withCopyId(copyId);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        source.probe(timeout);
        target.probe(timeout);
        CopyReport report;
        try {
            report = copy.build().run();
        } catch (SQLException e) {
            throw ErrorLine.of(e); // one line, no row data
        }
        out.println();
        out.printf("%-24s %7s %10s %10s %10s %10s  %s%n", "table", "created", dryRun ? "to insert" : "inserted",
                "conflicts", "skipped", "resumed", dryRun ? "" : "verified (rows, sha256 source = target)");
        for (CopyReport.TableResult t : report.tables()) {
            String check = t.error() != null ? "FAILED: " + t.error()
                    : dryRun ? "" : t.verified() ? "yes (" + t.target().rowCount() + " rows, " + t.target().sha256() + ")"
                    : "NO: source " + t.source() + ", target " + t.target();
            out.printf("%-24s %7s %,10d %,10d %,10d %,10d  %s%n", t.table(), t.created() ? "yes" : "no", t.inserted(),
                    t.conflicts(), t.skipped(), t.resumedFrom(), check);
        }
        out.printf("copy id %s: %s%n", report.copyId(), report.isSuccess()
                ? (dryRun ? "dry run, nothing written" : "every table copied and verified")
                : "NOT every table was copied and verified");
        out.flush();
        return report.isSuccess() ? 0 : CliDatabase.FAILED;
    }

    private static void progress(PrintWriter out, CopyProgress p) {
        out.printf("  %s: %,d rows (%d of %d tables done, %,.0f rows/s%s)%n", p.table(), p.tableRows(), p.tablesDone(),
                p.tablesTotal(), p.rowsPerSecond(), p.eta() == null ? "" : ", ETA " + p.eta().toSeconds() + " s");
        out.flush();
    }
}
