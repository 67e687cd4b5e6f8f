package dev.bulwark.cli.internal.demo;

import dev.bulwark.cli.internal.JdbcUrls;
import dev.bulwark.cli.internal.PasswordSource;
import dev.bulwark.cli.internal.Terminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo: a bank-transfer workload through Bulwark while faults are injected, a live progress line, a
 * final report and an invariant check; with {@code --compare}, the same workload and faults as plain JDBC.
 *
 * <p>Exit codes: 0 when the invariants hold with Bulwark, 1 when they do not, 2 for bad arguments, 3 when
 * the database cannot be reached. Not thread-safe; picocli creates one instance per command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Bank transfers under injected database faults, with Bulwark (and with --compare, without).")
public final class DemoCommand implements Callable<Integer> {

    /** Exit code when the database cannot be reached or set up. */
    public static final int UNREACHABLE = 3;
    /** Exit code when an invariant does not hold. */
    public static final int VIOLATED = 1;

    private final boolean stdoutIsTerminal;

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", paramLabel = "<time>", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long each run lasts, e.g. 15s, 1m, 500ms (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--threads", defaultValue = "4", description = "Threads doing transfers (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--accounts", defaultValue = "20", description = "Bank accounts (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the faults and the transfers (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--compare", description = "Run the same workload and faults again as plain JDBC, and show both.")
    private boolean compare;

    @Option(names = "--url", paramLabel = "<jdbc-url>",
            description = "Use this PostgreSQL or MariaDB database instead of embedded SQLite (creates and drops tables bulwark_demo_*).")
    private String url;

    @Option(names = "--user", description = "Database user for --url; the password comes from $BULWARK_CLI_PASSWORD or a prompt.")
    private String user;

    @Option(names = "--plain", description = "Print progress as plain lines even on a terminal.")
    private boolean plain;

    /** A demo that redraws its progress line in place when {@code stdoutIsTerminal}. */
    public DemoCommand(boolean stdoutIsTerminal) {
        this.stdoutIsTerminal = stdoutIsTerminal;
    }

    /** Runs the demo; see the class comment for the exit codes. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand(Terminal.isInteractive())).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        String password = url == null ? null : PasswordSource.resolve(user, System.getenv());
        Bank bank = new Bank(accounts);
        DemoFaults faults = new DemoFaults(seed, duration);
        try (DemoDatabase database = url == null ? DemoDatabase.sqlite() : DemoDatabase.server(url, user, password)) {
            printIntro(out, database, faults);
            DemoRunner runner = new DemoRunner(database, bank, faults, threads, duration, seed, out,
                    stdoutIsTerminal && !plain);
            List<RunResult> results = new ArrayList<>();
            try {
                results.add(runner.run(true));
                if (compare) {
                    out.println();
                    results.add(runner.run(false));
                }
            } catch (SQLException e) {
                spec.commandLine().getErr().println("bulwark demo: cannot use the database " + database.describe()
                        + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")");
                return UNREACHABLE;
            }
            out.println();
            new Report(results).print(out);
            printConclusion(out, results);
            return results.get(0).check().holds() ? 0 : VIOLATED;
        }
    }

    private void validate() {
        if (duration.isNegative() || duration.compareTo(Duration.ofSeconds(1)) < 0
                || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be between 1s and 1h, was " + duration);
        }
        if (threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--threads must be 1 to 64, was " + threads);
        }
        if (accounts < 2 || accounts > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--accounts must be 2 to 1000000, was " + accounts);
        }
        String unsupported = url == null ? null : JdbcUrls.unsupported("--url", url);
        if (unsupported != null) {
            throw new ParameterException(spec.commandLine(), unsupported);
        }
        if (user != null && url == null) {
            throw new ParameterException(spec.commandLine(), "--user needs --url (embedded SQLite has no users)");
        }
    }

    private void printIntro(PrintWriter out, DemoDatabase database, DemoFaults faults) {
        out.printf("Bulwark demo: a small bank on %s.%n", database.describe());
        out.printf("%d accounts start with %,d each; %d threads move random amounts between them for %s, each"
                + " transfer one%ntransaction (debit, credit, and a row in a transfers table). Between the application and"
                + " its connection%npool, a fault injector (seed %d) makes the database misbehave: about 2%% of statements"
                + " fail as busy,%n1%% lose their connection, 3%% of commits succeed but their acknowledgement is"
                + " lost, and%nfrom %s to %s the database is down. Bulwark retries what is safe to retry, finds out whether"
                + " a commit%nwith a lost acknowledgement landed, and fails fast while the database is down. At the end,"
                + " the demo%nchecks in the database that no money was created or lost and no transfer was applied twice.%n%n",
                accounts, Bank.OPENING_BALANCE, threads, human(duration), seed, human(faults.outageStart()),
                human(faults.outageStart().plus(faults.outageLength())));
    }

    private void printConclusion(PrintWriter out, List<RunResult> results) {
        RunResult with = results.get(0);
        out.println();
        out.println(with.check().holds()
                ? "With Bulwark every invariant holds: " + String.format("%,d", with.committed())
                        + " transfers acknowledged, each applied exactly once, total balance unchanged."
                : "An invariant was VIOLATED with Bulwark: this is a bug; please report it with --seed " + seed + ".");
        if (results.size() > 1) {
            RunResult plainRun = results.get(1);
            out.printf("Without Bulwark, %,d transfers were reported failed (with Bulwark: %,d failed, %,d refused at once"
                    + " while the%ndatabase was down), and %,d of them were applied anyway: their commit landed but the"
                    + " acknowledgement%nwas lost. An application that retried them would have moved the money twice; one"
                    + " that did not told%nits users a lie. (Compare correctness, not speed: the first run also warms up the"
                    + " JVM, and on SQLite%nBulwark writes a commit-ledger row in each transaction.)%n",
                    plainRun.failed(), with.failed() + with.unknown(), with.rejected(),
                    plainRun.check().appliedButFailed());
        }
        out.flush();
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
