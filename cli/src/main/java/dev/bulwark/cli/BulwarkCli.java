package dev.bulwark.cli;

import dev.bulwark.cli.internal.BulwarkCommand;
import dev.bulwark.cli.internal.Terminal;

/**
 * The {@code bulwark} command: the entry point of {@code bin/bulwark} and of {@code java -jar bulwark-cli.jar}.
 *
 * <p>Commands, options and exit codes are described in {@code docs/cli.md} and by {@code bulwark <command> --help};
 * everything behind this class is internal. Not meant to be called from an application: it ends the JVM.
 */
public final class BulwarkCli {

    private BulwarkCli() {
    }

    /**
     * Runs {@code bulwark args...} and exits the JVM with the command's exit code: 0 success, 1 a check or an
     * operation failed, 2 bad arguments, 3 the database could not be reached.
     *
     * @param args the command and its arguments, e.g. {@code doctor jdbc:postgresql://db/shop --user app}
     */
    public static void main(String[] args) {
        System.exit(BulwarkCommand.commandLine(Terminal.isInteractive()).execute(args));
    }
}
