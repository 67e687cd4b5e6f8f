package dev.bulwark.cli.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One invocation of the command line with its output and error streams captured. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code bulwark args...} as the real main does, without a terminal. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BulwarkCommand.commandLine(false);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
