package dev.bulwark.testkit.internal;

import java.util.regex.Pattern;

/**
 * Recognises the statements that end a transaction with a commit: {@code COMMIT}, {@code END} (each
 * with optional {@code WORK}/{@code TRANSACTION} and {@code AND [NO] CHAIN}) and
 * {@code COMMIT PREPARED '...'}; case-insensitive, surrounding white space and trailing semicolons
 * ignored.
 *
 * <p>Stateless and thread-safe.
 */
public final class CommitSql {

    /** Longer texts are never a commit; saves matching (and buffering) large statements. */
    public static final int MAX_LENGTH = 256;

    private static final Pattern COMMIT = Pattern.compile(
            "(?:COMMIT|END)(?:\\s+(?:WORK|TRANSACTION))?(?:\\s+AND\\s+(?:NO\\s+)?CHAIN)?"
                    + "|COMMIT\\s+PREPARED\\s+'[^']*'",
            Pattern.CASE_INSENSITIVE);

    private CommitSql() {
    }

    /** Whether {@code sql} is one statement that commits the current transaction. */
    public static boolean matches(String sql) {
        if (sql == null || sql.length() > MAX_LENGTH) {
            return false;
        }
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return COMMIT.matcher(text).matches();
    }
}
