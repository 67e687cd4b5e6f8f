package dev.bulwark.cli.internal;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The {@code --timeout} option's range, shared by the commands that connect. Stateless. */
final class Timeouts {

    private Timeouts() {
    }

    /**
     * Returns {@code seconds} if it is 1 to 300.
     *
     * @throws ParameterException naming {@code --timeout} otherwise
     */
    static int check(CommandLine cli, int seconds) {
        if (seconds < 1 || seconds > 300) {
            throw new ParameterException(cli, "--timeout must be 1 to 300 seconds, was " + seconds);
        }
        return seconds;
    }
}
