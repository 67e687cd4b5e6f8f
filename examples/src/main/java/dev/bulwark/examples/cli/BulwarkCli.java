package dev.bulwark.examples.cli;

import dev.bulwark.examples.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code bulwark} command line: {@code classify}, {@code doctor} and {@code demo}.
 *
 * <p>Exit codes: 0 success, 1 a check failed (demo invariants), 2 bad arguments, 3 the database cannot be
 * reached. Not thread-safe; build one {@link #commandLine} per invocation.
 */
@Command(name = "bulwark", mixinStandardHelpOptions = true, version = "bulwark 0.1.0-SNAPSHOT",
        description = "Bulwark's command line: classify database errors, check a database, run the demo.",
        subcommands = {ClassifyCommand.class, DoctorCommand.class})
public final class BulwarkCli implements Runnable {

    @Spec
    private CommandSpec spec;

    private BulwarkCli() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine(Terminal.isInteractive()).execute(args));
    }

    /**
     * The command line with its subcommands; the demo redraws progress in place when {@code stdoutIsTerminal}.
     */
    public static CommandLine commandLine(boolean stdoutIsTerminal) {
        CommandLine cli = new CommandLine(new BulwarkCli());
        cli.addSubcommand("demo", new DemoCommand(stdoutIsTerminal));
        return cli;
    }

    /** Without a subcommand: print the usage and fail, so a typo in a script is noticed. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: classify, doctor or demo");
    }
}
