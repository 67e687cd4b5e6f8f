package dev.bulwark.cli.internal;

import dev.bulwark.recovery.RecoveryException;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * The one line a failed backup, restore or copy prints: Bulwark's own message on one line (a
 * {@link RecoveryException} names tables and files and already carries the server's reason redacted), or a driver's message cut to its
 * first line with pgjdbc's batch statement and quoted literals removed, so no row value reaches the
 * terminal. The returned exception has no cause, so nothing else of the driver's text is printed.
 * Stateless and thread-safe.
 */
final class ErrorLine {

    private static final Pattern BATCH_ENTRY = Pattern.compile("Batch entry (\\d+) .*? was aborted: ", Pattern.DOTALL);
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'(?:[^'\\\\]|''|\\\\.)*'");

    private ErrorLine() {
    }

    /** {@code e} as an exception with the same SQLState and vendor code and a one-line message. */
    static SQLException of(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof RecoveryException) {
            message = message.replaceAll("\\s*\\R\\s*", " "); // a verification report lists one file a line
        } else {
            message = SINGLE_QUOTED.matcher(BATCH_ENTRY.matcher(message).replaceFirst("Batch entry $1 was aborted: "))
                    .replaceAll("'…'");
            int newline = message.indexOf('\n');
            message = newline < 0 ? message : message.substring(0, newline); // Detail, Where: the row, the COPY line
        }
        return new SQLException(message.strip(), e.getSQLState(), e.getErrorCode());
    }
}
