package dev.bulwark.cli.internal;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether standard output is an interactive terminal, so that progress can be redrawn in place.
 *
 * <p>Stateless and thread-safe.
 */
public final class Terminal {

    private Terminal() {
    }

    /** True when the JVM has a console attached to a terminal (Java 22+ may return a console for a pipe). */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before Java 22 a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask the console whether it is a terminal", e);
        }
    }
}
