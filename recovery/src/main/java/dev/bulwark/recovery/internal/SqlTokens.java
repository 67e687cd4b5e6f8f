package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into the tokens that matter for finding table names: words, quoted identifiers and
 * punctuation, grouped into statements at top-level semicolons. String literals and comments are skipped
 * by the dialect's rules: {@code ''} doubling everywhere; backslash escapes in MariaDB strings and
 * PostgreSQL {@code E'...'}; PostgreSQL dollar quoting and nested block comments; MariaDB {@code #}
 * comments and executable comments {@code /*! ... *}{@code /}, whose content is read as SQL (the server
 * runs it). Thread-safe (no state).
 */
final class SqlTokens {

    /** What a token is. */
    enum Kind { WORD, QUOTED, PUNCT }

    /** One token: a word as written, a quoted identifier already unquoted, or one punctuation character. */
    record Token(Kind kind, String text, int depth) {

        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isPunct(char c) {
            return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
        }
    }

    /** SQL that could not be split safely (an unterminated quote or comment); the message says what and where. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private SqlTokens() {
    }

    /** The statements of {@code sql}, each a list of tokens (empty statements left out). */
    static List<List<Token>> statements(String sql, Dialect dialect) throws Unreadable {
        List<List<Token>> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        boolean mysql = dialect == Dialect.MYSQL;
        boolean executableComment = false;
        int depth = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && next == '-') {
                i = lineEnd(sql, i);
            } else if (c == '#' && mysql) {
                i = lineEnd(sql, i);
            } else if (c == '/' && next == '*') {
                if (mysql && i + 2 < n && (sql.charAt(i + 2) == '!' || sql.startsWith("M!", i + 2))) {
                    i += sql.charAt(i + 2) == '!' ? 3 : 4;
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                    executableComment = true;
                } else {
                    i = blockCommentEnd(sql, i, dialect == Dialect.POSTGRESQL);
                }
            } else if (c == '*' && next == '/' && executableComment) {
                executableComment = false;
                i += 2;
            } else if (c == '\'') {
                boolean backslashes = mysql || (i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !isWordPart(sql.charAt(i - 2))));
                i = quotedEnd(sql, i, '\'', backslashes, "string literal");
            } else if (c == '"' && mysql) {
                i = quotedEnd(sql, i, '"', true, "string literal"); // MariaDB: a string unless ANSI_QUOTES
            } else if (c == '"' || (c == '`' && dialect != Dialect.POSTGRESQL)) {
                int end = quotedEnd(sql, i, c, false, "quoted identifier");
                current.add(new Token(Kind.QUOTED, sql.substring(i + 1, end - 1).replace(c + "" + c, c + ""), depth));
                i = end;
            } else if (c == '[' && dialect == Dialect.SQLITE) {
                int close = sql.indexOf(']', i + 1);
                if (close < 0) {
                    throw new Unreadable("unterminated [identifier] starting at offset " + i);
                }
                current.add(new Token(Kind.QUOTED, sql.substring(i + 1, close), depth));
                i = close + 1;
            } else if (c == '$' && dialect == Dialect.POSTGRESQL && !(i > 0 && isWordPart(sql.charAt(i - 1)))
                    && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                if (close < 0) {
                    throw new Unreadable("unterminated dollar-quoted string " + tag + " starting at offset " + i);
                }
                i = close + tag.length();
            } else if (isWordStart(c)) {
                int start = i;
                while (i < n && isWordPart(sql.charAt(i))) {
                    i++;
                }
                current.add(new Token(Kind.WORD, sql.substring(start, i), depth));
            } else if (c == ';') {
                if (!current.isEmpty()) {
                    statements.add(List.copyOf(current));
                    current.clear();
                }
                depth = 0;
                i++;
            } else {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth = Math.max(0, depth - 1);
                }
                current.add(new Token(Kind.PUNCT, String.valueOf(c), c == '(' ? depth - 1 : depth));
                i++;
            }
        }
        if (!current.isEmpty()) {
            statements.add(List.copyOf(current));
        }
        return statements;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || Character.isSurrogate(c);
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || Character.isSurrogate(c);
    }

    private static int lineEnd(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int blockCommentEnd(String sql, int start, boolean nested) throws Unreadable {
        int level = 0;
        int i = start;
        while (i < sql.length() - 1) {
            if (sql.startsWith("/*", i) && (nested || level == 0)) {
                level++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                level--;
                i += 2;
                if (level == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw new Unreadable("unterminated /* comment starting at offset " + start);
    }

    private static int quotedEnd(String sql, int start, char quote, boolean backslashes, String what) throws Unreadable {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashes && c == '\\') {
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
        throw new Unreadable("unterminated " + what + " starting at offset " + start);
    }

    /** The {@code $tag$} opening a dollar-quoted string at {@code i}, or null ({@code $1} is a parameter). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_'
                || (j > i + 1 && Character.isDigit(sql.charAt(j))))) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }
}
