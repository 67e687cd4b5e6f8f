package dev.bulwark.cli.internal;

import dev.bulwark.cli.internal.demo.DemoCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code bulwark} command line: {@code classify}, {@code doctor}, {@code demo}, and the recovery commands
 * {@code backup}, {@code verify}, {@code restore}, {@code journal inspect|drain} and {@code copy}.
 *
 * <p>Exit codes: 0 success, 1 a check or an operation failed (demo invariants, a damaged backup, a refused
 * restore, an unverified copy), 2 bad arguments, 3 the database cannot be reached. A failure is printed as
 * one line naming the command and the cause, never with bind values or passwords. Not thread-safe; build one
 * {@link #commandLine} per invocation.
 */
@Command(name = "bulwark", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Bulwark's command line: classify database errors, check a database, run the demo, back up,"
                + " verify, restore, inspect and drain journals, copy tables.",
        subcommands = {ClassifyCommand.class, DoctorCommand.class, BackupCommand.class, VerifyCommand.class,
                RestoreCommand.class, JournalCommand.class, CopyCommand.class})
public final class BulwarkCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    private BulwarkCommand() {
    }

    /**
     * The command line with its subcommands; the demo redraws progress in place when {@code stdoutIsTerminal}.
     */
    public static CommandLine commandLine(boolean stdoutIsTerminal) {
        CommandLine cli = new CommandLine(new BulwarkCommand());
        cli.addSubcommand("demo", new DemoCommand(stdoutIsTerminal));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(BulwarkCommand::failed);
        cli.setParameterExceptionHandler(BulwarkCommand::badArguments);
        return cli;
    }

    /**
     * Bad arguments: one line naming the command and what is wrong ({@code bulwark doctor: --timeout must be 1 to
     * 300 seconds, was 0}), picocli's suggestions for a misspelt option, then the command's usage; exit code 2.
     */
    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        cmd.usage(err, cmd.getColorScheme());
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Without a subcommand: print the usage and fail, so a typo in a script is noticed. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: classify, doctor, demo, backup,"
                + " verify, restore, journal or copy");
    }

    /**
     * A command failed with {@code e}: one line on standard error (the cause chain's messages, which name
     * files, tables and SQLStates, never bind values), exit code 3 when the database could not be reached,
     * 1 otherwise. An unexpected exception (a bug) is also logged with its stack trace.
     */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        StringBuilder message = new StringBuilder(cmd.getCommandSpec().qualifiedName()).append(": ");
        message.append(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        if (e instanceof SQLException sql && sql.getSQLState() != null && !message.toString().contains(sql.getSQLState())) {
            message.append(" (SQLState ").append(sql.getSQLState()).append(')');
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !message.toString().contains(c.getMessage())) {
                message.append("; caused by: ").append(c.getMessage());
            }
        }
        cmd.getErr().println(message);
        cmd.getErr().flush();
        boolean known = e instanceof SQLException || e instanceof IOException || e instanceof UnreachableException;
        if (!known) {
            // the logger only now: starting logging costs start-up time that --version and --help need not pay
            Logger log = LoggerFactory.getLogger(BulwarkCommand.class);
            log.error("{} failed unexpectedly", cmd.getCommandSpec().qualifiedName(), e);
        }
        boolean connection = e instanceof UnreachableException
                || e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
        return connection ? CliDatabase.UNREACHABLE : CliDatabase.FAILED;
    }
}
