package dev.bulwark.core.internal;

import dev.bulwark.core.Dialect;
import java.util.Locale;
import java.util.Set;

/**
 * The part of a database's error message that a person needs, with literal values taken out: what Bulwark puts
 * in the messages of the exceptions it throws, next to the fault's kind and codes.
 *
 * <p>{@link #redact} keeps the first line only (PostgreSQL's Detail and Where, MariaDB's {@code Query is:}
 * dump, H2's {@code SQL statement:} follow a line break) and replaces quoted values with {@code ?}: single- and
 * double-quoted text, except a quoted name right after a word that announces an identifier
 * ({@code relation "accounts"}, {@code for key 'PRIMARY'}, {@code column 'n'}); guillemets ({@code »v«},
 * {@code « v »}) count as double quotes. Servers quote a value as they
 * found it, without escaping, so a value runs to the last quote before the next quoted identifier, and the
 * statement text a syntax error quotes after {@code near} runs to the line's last quote. Back-quoted MySQL
 * identifiers are kept. What this cannot catch: text a server prints without quotes (the message of a user's
 * own {@code RAISE EXCEPTION}, for one), and a value that itself contains an identifier word followed by a quote
 * ({@code x' for key 'y}), whose tail then reads as an identifier.
 *
 * <p>Stateless and thread-safe.
 */
public final class ServerText {

    /** Longest message kept; a longer one is cut, so a runaway message cannot flood a log line. */
    static final int MAX_LENGTH = 400;

    /** Words after which a quoted name is an identifier (a table, a key), never a value. */
    private static final Set<String> IDENTIFIER_WORDS = Set.of(
            "relation", "table", "column", "field", "parameter", "constraint", "key", "index", "schema", "database", "sequence", "view",
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
        String first = firstLine(text);
        // a statement quoted after "near" may run past the first line: its closing quote is then not on it
        boolean cut = first.length() < text.stripTrailing().length();
        String line = first.strip();
        if (line.length() > 4 * MAX_LENGTH) {
            line = line.substring(0, 4 * MAX_LENGTH);
        }
        StringBuilder out = new StringBuilder(Math.min(line.length(), MAX_LENGTH) + 8);
        int i = 0;
        while (i < line.length() && out.length() <= MAX_LENGTH) {
            char c = line.charAt(i);
            if (c == '`') {
                int end = line.indexOf('`', i + 1);
                int stop = end < 0 ? line.length() : end + 1;
                out.append(line, i, stop);
                i = stop;
            } else if (!opensQuote(line, i)) {
                out.append(c);
                i++;
            } else if (followsIdentifierWord(line, i) && line.indexOf(closing(c), i + 1) > 0) {
                int end = line.indexOf(closing(c), i + 1);
                out.append(line, i, end + 1);
                i = end + 1;
            } else {
                // A value is quoted as the server found it, without escaping: it may hold the quote character
                // itself. It runs to the last such quote before the next quoted identifier (or the line's end).
                boolean statement = quotesStatementText(line, i);
                int limit = statement ? line.length() : nextIdentifierQuote(line, i + 1);
                int end = statement && cut ? -1 : line.lastIndexOf(closing(c), limit - 1);
                out.append(c).append(REDACTED).append(closing(c));
                i = end > i ? end + 1 : limit;
            }
        }
        if (out.length() > MAX_LENGTH) {
            out.setLength(MAX_LENGTH);
            out.append("...");
        }
        return out.toString();
    }

    /**
     * Whether the character at {@code i} opens a quoted text: a quote or a guillemet (PostgreSQL's German, French
     * and Spanish messages), not an apostrophe between two Latin letters ({@code doesn't}). Only Latin letters
     * count: MariaDB's Chinese messages put a value's quote right after a CJK letter ({@code 重复条目'v'}).
     */
    private static boolean opensQuote(String s, int i) {
        char c = s.charAt(i);
        if (c == '"' || c == '\u00ab' || c == '\u00bb') {
            return true;
        }
        return c == '\'' && !(i > 0 && i + 1 < s.length()
                && isLatinLetter(s.charAt(i - 1)) && isLatinLetter(s.charAt(i + 1)));
    }

    private static boolean isLatinLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** The character that closes a text opened by {@code open}: the same quote, or the facing guillemet. */
    private static char closing(char open) {
        return switch (open) {
            case '\u00bb' -> '\u00ab';
            case '\u00ab' -> '\u00bb';
            default -> open;
        };
    }

    /**
     * Whether the quote at {@code open} follows {@code near} (MySQL {@code near '...' at line 1}, PostgreSQL
     * {@code at or near "..."}, SQLite {@code near "...": syntax error}) or {@code token:}: the quoted text is a
     * piece of the statement, where words such as {@code key} mean nothing, so it runs to the line's last quote.
     */
    private static boolean quotesStatementText(String s, int open) {
        String before = s.substring(0, open).stripTrailing().toLowerCase(Locale.ROOT);
        return before.endsWith(" near") || before.equals("near") || before.endsWith("token:");
    }

    /** The index of the next quote from {@code from} that opens an identifier, or the line's length. */
    private static int nextIdentifierQuote(String s, int from) {
        for (int j = from; j < s.length(); j++) {
            if (opensQuote(s, j) && followsIdentifierWord(s, j)) {
                return j;
            }
        }
        return s.length();
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
