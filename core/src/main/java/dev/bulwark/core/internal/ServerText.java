package dev.bulwark.core.internal;

import dev.bulwark.core.Dialect;
import java.util.Locale;
import java.util.Set;

/**
 * The part of a database's error message that a person needs, with literal values taken out: what Bulwark puts
 * in the messages of the exceptions it throws, next to the fault's kind and codes.
 *
 * <p>{@link #redact} keeps the first line only (PostgreSQL's Detail and Where, MariaDB's {@code Query is:}
 * dump, H2's {@code SQL statement:} follow a line break) and replaces the content of every quoted literal with
 * {@code ?}: single-quoted and double-quoted text, except a quoted name right after a word that announces an
 * identifier ({@code relation "accounts"}, {@code for key 'PRIMARY'}, {@code column 'n'}); the text a syntax
 * error quotes after {@code near} is always replaced, up to the end of the quote however many quotes it
 * contains. Back-quoted MySQL identifiers are kept. Text a server prints without quotes (the message of a
 * user's own {@code RAISE EXCEPTION}, for one) is kept as it is.
 *
 * <p>Stateless and thread-safe.
 */
public final class ServerText {

    /** Longest message kept; a longer one is cut, so a runaway message cannot flood a log line. */
    static final int MAX_LENGTH = 400;

    /** Words after which a quoted name is an identifier (a table, a key), never a value. */
    private static final Set<String> IDENTIFIER_WORDS = Set.of(
            "relation", "table", "column", "constraint", "key", "index", "schema", "database", "sequence", "view",
            "type", "function", "procedure", "trigger", "role", "user", "extension", "collation", "domain",
            "tablespace", "savepoint", "cursor", "portal", "operator", "policy", "publication", "subscription");

    private static final String REDACTED = "?";

    private ServerText() {
    }

    /**
     * The server's own message inside a driver's exception message, redacted; {@code null} when the dialect's
     * driver does not carry one in a shape Bulwark knows. PostgreSQL is not read here: pgjdbc's message mixes
     * the server's text with its own, so the jdbc layer takes the primary text from pgjdbc's
     * {@code ServerErrorMessage} instead.
     */
    public static String primary(Dialect dialect, String driverMessage) {
        if (driverMessage == null || driverMessage.isBlank()) {
            return null;
        }
        return switch (dialect) {
            case MYSQL -> redact(withoutConnectionId(driverMessage));
            case SQLITE -> redact(sqliteMessage(driverMessage));
            case POSTGRESQL, H2, GENERIC -> null;
        };
    }

    /** {@code text}'s first line with literal values replaced by {@code ?}; see the class comment. */
    public static String redact(String text) {
        String line = firstLine(text).strip();
        StringBuilder out = new StringBuilder(Math.min(line.length(), MAX_LENGTH) + 8);
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if ((c == '\'' || c == '"') && !apostrophe(line, i)) {
                int end = nearQuote(line, i) ? line.lastIndexOf(c) : closingQuote(line, i, c);
                boolean keep = end > i && !nearQuote(line, i) && followsIdentifierWord(line, i);
                if (keep) {
                    out.append(line, i, end + 1);
                } else {
                    out.append(c).append(REDACTED).append(c);
                }
                i = end > i ? end + 1 : line.length();
            } else if (c == '`') {
                int end = line.indexOf('`', i + 1);
                int stop = end < 0 ? line.length() : end + 1;
                out.append(line, i, stop);
                i = stop;
            } else {
                out.append(c);
                i++;
            }
            if (out.length() > MAX_LENGTH) {
                out.setLength(MAX_LENGTH);
                out.append("...");
                break;
            }
        }
        return out.toString();
    }

    /** An apostrophe inside a word ({@code doesn't}), not the start of a quoted literal. */
    private static boolean apostrophe(String s, int i) {
        return s.charAt(i) == '\'' && i > 0 && i + 1 < s.length()
                && Character.isLetter(s.charAt(i - 1)) && Character.isLetter(s.charAt(i + 1));
    }

    /** The index of the quote that closes the one at {@code open} (a doubled quote is part of the text); -1 if none. */
    private static int closingQuote(String s, int open, char quote) {
        int i = open + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Whether the quote at {@code open} follows {@code near} (MySQL {@code near '...' at line 1}, PostgreSQL
     * {@code at or near "..."}, SQLite {@code near "...": syntax error}) or {@code token:}: the quoted text is
     * a piece of the statement, quoted without escaping, so it runs to the last quote of the line.
     */
    private static boolean nearQuote(String s, int open) {
        String before = s.substring(0, open).stripTrailing().toLowerCase(Locale.ROOT);
        return before.endsWith(" near") || before.equals("near") || before.endsWith("token:");
    }

    private static boolean followsIdentifierWord(String s, int open) {
        int end = open;
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isLetter(s.charAt(start - 1))) {
            start--;
        }
        return start < end && IDENTIFIER_WORDS.contains(s.substring(start, end).toLowerCase(Locale.ROOT));
    }

    private static String firstLine(String text) {
        int newline = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                newline = i;
                break;
            }
        }
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** MariaDB Connector/J puts {@code (conn=42) } before the server's text. */
    private static String withoutConnectionId(String message) {
        if (message.startsWith("(conn=")) {
            int close = message.indexOf(") ");
            if (close > 0) {
                return message.substring(close + 2);
            }
        }
        return message;
    }

    /**
     * sqlite-jdbc writes {@code [SQLITE_CONSTRAINT_PRIMARYKEY] A PRIMARY KEY constraint failed (UNIQUE constraint
     * failed: t.id)}: the result code, its generic description, and SQLite's own message in parentheses.
     */
    private static String sqliteMessage(String message) {
        String line = firstLine(message);
        int code = line.startsWith("[") ? line.indexOf("] ") : -1;
        int open = code < 0 ? -1 : line.indexOf('(', code);
        if (open > 0 && line.endsWith(")")) {
            return line.substring(open + 1, line.length() - 1);
        }
        return line;
    }
}
