package dev.bulwark.cli.internal;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.ReplayReport;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.StoreAndForward;
import dev.bulwark.recovery.StoreAndForwardConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark journal drain <dir> <url>}: replays a store-and-forward journal into the database, exactly
 * once and in order ({@link StoreAndForward#drain()}), and reports what it applied, skipped (already in the
 * commit ledger) and dead-lettered.
 *
 * <p>Only {@link SqlWrite} records can be replayed here: typed writes need the application's registered
 * {@code WriteType} (its codec and handler), so a journal holding one stops at that record with exit code 1;
 * drain it from the application. The application must not be running its own replay on the same journal
 * (the journal's lock refuses that on one machine).
 *
 * <p>Exit codes: 0 drained, 1 a record was dead-lettered or cannot be read here, 2 bad arguments,
 * 3 the database cannot be reached (or went away during the drain; what was applied stays applied).
 * Not thread-safe.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Replay a store-and-forward journal (SQL writes) into the database, exactly once.")
final class JournalDrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<journal-dir>", description = "The journal directory.")
    private Path directory;

    @Parameters(index = "1", paramLabel = "<jdbc-url>", description = "The database the writes belong to.")
    private String url;

    @Option(names = "--user", description = "Database user; the password comes from $BULWARK_CLI_PASSWORD or a prompt.")
    private String user;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "<seconds>",
            description = "Give up connecting after this many seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path dir = JournalCommand.checkDirectory(spec.commandLine(), directory);
        int timeout = Timeouts.check(spec.commandLine(), timeoutSeconds);
        CliDatabase db = CliDatabase.of(spec.commandLine(), "<jdbc-url>", url, user, null, true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("bulwark journal drain: " + dir + " -> " + db.display());
        out.flush();
        db.probe(timeout);
        BulwarkDataSource bulwark = Bulwark.wrap(db.dataSource());
        StoreAndForwardConfig config = StoreAndForwardConfig.builder()
                .withJournal(JournalConfig.builder().withDirectory(dir).build())
                .build();
        ReplayReport report;
        try (StoreAndForward writer = StoreAndForward.builder(bulwark, config).open()) {
            report = writer.drain();
        }
        out.printf("  applied        %,d%n", report.applied());
        out.printf("  skipped        %,d (already applied: their key was in the commit ledger)%n", report.skipped());
        out.printf("  dead-lettered  %,d%s%n", report.deadLettered(),
                report.deadLettered() > 0 ? " (in " + config.deadLetterDirectory() + ", see <sequence>.reason.txt)" : "");
        out.printf("  remaining      %,d%n", report.remaining());
        out.flush();
        if (report.stoppedBy().isPresent()) {
            err.println("bulwark journal drain: stopped early, " + report.remaining() + " record(s) remain: "
                    + report.stoppedBy().get().message() + "; run drain again when the database is back");
            return CliDatabase.UNREACHABLE;
        }
        if (report.deadLettered() > 0) {
            err.println("bulwark journal drain: " + report.deadLettered() + " write(s) failed permanently and were"
                    + " dead-lettered in " + config.deadLetterDirectory());
            return CliDatabase.FAILED;
        }
        return 0;
    }
}
