package dev.bulwark.recovery.internal;

import java.util.regex.Pattern;

/**
 * A driver's error message reduced to one line that names what failed but carries no row data: the
 * first line only (PostgreSQL's Detail, Where and Hint lines hold the failing row and the COPY line),
 * pgjdbc's batch prefix without the statement it inlines the bind values into, single-quoted literals
 * (MariaDB, SQLite, inlined values) and a trailing double-quoted value after a colon (PostgreSQL's
 * "invalid input syntax for type integer: "..."") replaced by {@code '…'}. Thread-safe (stateless).
 */
public final class ServerText {

    private static final Pattern BATCH_ENTRY = Pattern.compile("Batch entry (\\d+) .*? was aborted: ", Pattern.DOTALL);
    private static final Pattern NEXT_EXCEPTION = Pattern.compile("\\s*Call getNextException to see other errors in the batch\\.?");
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'(?:[^'\\\\]|''|\\\\.)*'");
    // MariaDB quotes values without escaping them ("Incorrect integer value: 'a'b' for column ...", "Duplicate entry
    // 'a'b' for key ..."): everything up to the last "' for " is the value, whatever quotes it holds.
    private static final Pattern QUOTED_BEFORE_FOR = Pattern.compile("'.*' for ", Pattern.DOTALL);
    // Likewise PostgreSQL ("invalid input syntax for type integer: "a"b""): the value runs to the end of the line,
    // and one holding a newline is cut by the first-line rule, leaving no closing quote.
    private static final Pattern TRAILING_VALUE = Pattern.compile(": \".*$");
    private static final int MAX_LENGTH = 300;

    private ServerText() {
    }

    /** The message of {@code e} (its class name when it has none) as one redacted line. */
    public static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return redact(message);
    }

    /** {@code message} as one redacted line, at most 300 characters. */
    public static String redact(String message) {
        String text = BATCH_ENTRY.matcher(message).replaceFirst("Batch entry $1 was aborted: ");
        text = NEXT_EXCEPTION.matcher(text).replaceAll("");
        text = QUOTED_BEFORE_FOR.matcher(text).replaceFirst("'…' for "); // before the cut: a value may hold newlines
        text = SINGLE_QUOTED.matcher(text).replaceAll("'…'");
        int newline = text.indexOf('\n');
        text = (newline < 0 ? text : text.substring(0, newline)).strip();
        text = TRAILING_VALUE.matcher(text).replaceFirst(": \"…\"");
        if (text.chars().filter(c -> c == '\'').count() % 2 == 1) { // a quote left open: the rest of the line is a value
            text = text.substring(0, text.lastIndexOf('\'')) + "'…";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(out::appendCodePoint);
        return out.length() <= MAX_LENGTH ? out.toString() : out.substring(0, MAX_LENGTH) + "…";
    }
}
