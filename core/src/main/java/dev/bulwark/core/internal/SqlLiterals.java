package dev.bulwark.core.internal;

/**
 * SQL text with its literal values taken out, for the statement log ({@code dev.bulwark.jdbc.sql}): a value
 * written into the statement instead of bound ({@code WHERE email = 'bob@example.com'}) is as private as a bind
 * value.
 *
 * <p>{@link #redact} replaces the content of every single- and double-quoted text with {@code ?} (MySQL and SQLite
 * read double quotes as strings, so a PostgreSQL quoted identifier goes too), PostgreSQL's dollar-quoted strings
 * and every number that is not part of a name, and the content of every comment ({@code --}, {@code #},
 * {@code /* *}{@code /}), which may hold values as well as quotes that would put the redactor out of step. A doubled
 * quote stays inside the text; where a backslash before a quote makes the text's end depend on the dialect
 * (MySQL and PostgreSQL's {@code E''} read it as an escape, PostgreSQL's standard strings do not), the rest of the
 * statement is replaced. Where this reads more as a literal than the database would, it replaces more, never
 * less. Closed back-quoted names, keywords and the statement's shape stay; a bracket is no name (PostgreSQL's
 * {@code ARRAY['v']}).
 *
 * <p>Stateless and thread-safe.
 */
public final class SqlLiterals {

    private SqlLiterals() {
    }

    /** {@code sql} with literal values replaced by {@code ?}; {@code null} stays {@code null}. */
    public static String redact(String sql) {
        if (sql == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfQuoted(sql, i, c);
                out.append(c).append('?').append(c);
                if (end != endOfPlainQuoted(sql, i, c)) {
                    return out.append(" ?").toString(); // where the text ends depends on the dialect
                }
                i = end;
            } else if (c == '-' && sql.startsWith("--", i) || c == '#') {
                int newline = sql.indexOf('\n', i);
                out.append(c == '#' ? "# ?" : "-- ?");
                i = newline < 0 ? sql.length() : newline;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                out.append("/* ? */");
                i = close < 0 ? sql.length() : close + 2;
            } else if (c == '$' && dollarTag(sql, i) != null && !partOfName(sql, i)) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                out.append("$?$");
                i = close < 0 ? sql.length() : close + tag.length();
            } else if (Character.isDigit(c) && !partOfName(sql, i)) {
                out.append('?');
                while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.'
                        || sql.charAt(i) == '_')) {
                    i++;
                }
            } else if (c == '`') {
                int close = sql.indexOf('`', i + 1);
                if (close < 0) {
                    return out.append("`?").toString();
                }
                out.append(sql, i, close + 1);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index just past the quote that closes the one at {@code open}, or the text's length. */
    private static int endOfQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** As {@link #endOfQuoted}, with a backslash an ordinary character (PostgreSQL's standard strings). */
    private static int endOfPlainQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** {@code $$} or {@code $tag$} starting at {@code i}, or {@code null} ({@code $1} is a parameter). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_'
                || (j > i + 1 && Character.isDigit(sql.charAt(j))))) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }

    private static boolean partOfName(String sql, int i) {
        if (i == 0) {
            return false;
        }
        char before = sql.charAt(i - 1);
        return Character.isLetterOrDigit(before) || before == '_' || before == '$';
    }
}
