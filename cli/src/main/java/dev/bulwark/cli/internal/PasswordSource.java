package dev.bulwark.cli.internal;

import java.io.Console;
import java.util.Map;

/**
 * Where the command line gets a database password: the {@value #VARIABLE} environment variable, else an
 * interactive prompt that does not echo, else none. A password is never a command-line argument (it would
 * show in the process list and the shell history) and is never printed.
 *
 * <p>Stateless and thread-safe.
 */
public final class PasswordSource {

    /** The environment variable holding the password. */
    public static final String VARIABLE = "BULWARK_CLI_PASSWORD";

    private PasswordSource() {
    }

    /**
     * The password for {@code user}: from {@code environment}, else prompted for on the console when
     * there is one and a user was given, else {@code null}.
     */
    public static String resolve(String user, Map<String, String> environment) {
        String fromEnv = environment.get(VARIABLE);
        if (fromEnv != null) {
            return fromEnv;
        }
        Console console = System.console();
        if (user == null || console == null) {
            return null;
        }
        char[] typed = console.readPassword("Password for %s (or set %s): ", user, VARIABLE);
        return typed == null ? null : new String(typed);
    }
}
