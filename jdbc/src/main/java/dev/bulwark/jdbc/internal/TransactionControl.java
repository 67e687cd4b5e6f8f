package dev.bulwark.jdbc.internal;

/**
 * Finds SQL that would take a unit's transaction out of the unit's hands: {@code BEGIN}, {@code START
 * TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code ABORT}, {@code SAVEPOINT},
 * {@code RELEASE}, {@code PREPARE TRANSACTION}, {@code XA}, a {@code SET} of the transaction's
 * characteristics or of autocommit, SQLite's {@code PRAGMA query_only}, and on MySQL/MariaDB the statements
 * that commit implicitly (DDL other than on temporary tables, {@code LOCK}/{@code UNLOCK}, {@code GRANT},
 * {@code FLUSH}, table maintenance, ...).
 *
 * <p>Cheap on the hot path: the first keyword of the string is compared without allocating; the rest of the
 * string is scanned only when it holds a {@code ';'}, and then quotes, quoted identifiers, PostgreSQL dollar
 * quotes and comments are skipped, so a {@code ';'} or keyword inside them is not a statement. A statement
 * hidden where this scan does not look (inside a stored procedure or a {@code DO} block) is not found: the
 * servers refuse most of those inside a transaction themselves.
 *
 * <p>Stateless and thread-safe.
 */
final class TransactionControl {

    private TransactionControl() {
    }

    /**
     * The first word of the first statement in {@code sql} that must not run inside a unit, or null if there
     * is none.
     *
     * @param mysql whether the server commits implicitly on DDL (MySQL, MariaDB)
     */
    static String refusal(String sql, boolean mysql) {
        String found = check(sql, 0, mysql);
        if (found != null || sql.indexOf(';') < 0) {
            return found;
        }
        return laterStatements(sql, mysql);
    }

    /** Scans past quotes and comments for top-level {@code ';'} and checks each statement that follows. */
    private static String laterStatements(String sql, boolean mysql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = endOfQuote(sql, i, c, mysql);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#' && mysql) {
                i = endOfLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = endOfBlockComment(sql, i);
            } else if (c == '$' && !mysql) {
                i = endOfDollarQuote(sql, i);
            } else if (c == ';') {
                String found = check(sql, i + 1, mysql);
                if (found != null) {
                    return found;
                }
                i++;
            } else {
                i++;
            }
        }
        return null;
    }

    /** Checks the statement that starts at {@code from} (after whitespace and comments). */
    private static String check(String sql, int from, boolean mysql) {
        int start = skipSpaceAndComments(sql, from, mysql);
        int end = wordEnd(sql, start);
        int length = end - start;
        if (length < 2) {
            return null;
        }
        boolean refused = switch (Character.toUpperCase(sql.charAt(start))) {
            case 'A' -> is(sql, start, length, "ABORT") || mysql && (is(sql, start, length, "ALTER")
                    || is(sql, start, length, "ANALYZE"));
            case 'B' -> is(sql, start, length, "BEGIN");
            case 'C' -> is(sql, start, length, "COMMIT") || mysql && is(sql, start, length, "CREATE")
                    && !nextWordIs(sql, end, "TEMPORARY", mysql) && !nextWordsAreTemporary(sql, end, mysql);
            case 'D' -> mysql && is(sql, start, length, "DROP") && !nextWordIs(sql, end, "TEMPORARY", mysql);
            case 'E' -> is(sql, start, length, "END");
            case 'F' -> mysql && is(sql, start, length, "FLUSH");
            case 'G' -> mysql && is(sql, start, length, "GRANT");
            case 'I' -> mysql && is(sql, start, length, "INSTALL");
            case 'L' -> mysql && is(sql, start, length, "LOCK");
            case 'O' -> mysql && is(sql, start, length, "OPTIMIZE");
            case 'P' -> is(sql, start, length, "PREPARE") && nextWordIs(sql, end, "TRANSACTION", mysql)
                    || is(sql, start, length, "PRAGMA") && nextWordIs(sql, end, "QUERY_ONLY", mysql);
            case 'R' -> is(sql, start, length, "ROLLBACK") || is(sql, start, length, "RELEASE")
                    || mysql && (is(sql, start, length, "RENAME") || is(sql, start, length, "REVOKE")
                    || is(sql, start, length, "REPAIR"));
            case 'S' -> is(sql, start, length, "SAVEPOINT")
                    || is(sql, start, length, "START") && nextWordIs(sql, end, "TRANSACTION", mysql)
                    || is(sql, start, length, "SET") && setsTransactionState(sql, end);
            case 'T' -> mysql && is(sql, start, length, "TRUNCATE");
            case 'U' -> mysql && (is(sql, start, length, "UNLOCK") || is(sql, start, length, "UNINSTALL"));
            case 'X' -> is(sql, start, length, "XA");
            default -> false;
        };
        return refused ? sql.substring(start, end).toUpperCase(java.util.Locale.ROOT) : null;
    }

    private static boolean is(String sql, int start, int length, String keyword) {
        return length == keyword.length() && sql.regionMatches(true, start, keyword, 0, length);
    }

    private static boolean nextWordIs(String sql, int from, String keyword, boolean mysql) {
        int start = skipSpaceAndComments(sql, from, mysql);
        return is(sql, start, wordEnd(sql, start) - start, keyword);
    }

    /** {@code CREATE OR REPLACE TEMPORARY ...} (MariaDB). */
    private static boolean nextWordsAreTemporary(String sql, int from, boolean mysql) {
        int start = skipSpaceAndComments(sql, from, mysql);
        int end = wordEnd(sql, start);
        if (!is(sql, start, end - start, "OR")) {
            return false;
        }
        start = skipSpaceAndComments(sql, end, mysql);
        end = wordEnd(sql, start);
        return is(sql, start, end - start, "REPLACE") && nextWordIs(sql, end, "TEMPORARY", mysql);
    }

    /** A {@code SET} of transaction characteristics, read-only mode or autocommit (up to the next ';'). */
    private static boolean setsTransactionState(String sql, int from) {
        int end = sql.indexOf(';', from);
        end = end < 0 ? sql.length() : end;
        return contains(sql, from, end, "transaction") || contains(sql, from, end, "autocommit")
                || contains(sql, from, end, "read_only") || contains(sql, from, end, "characteristics");
    }

    private static boolean contains(String sql, int from, int to, String lowerCaseNeedle) {
        int last = to - lowerCaseNeedle.length();
        for (int i = from; i <= last; i++) {
            if (sql.regionMatches(true, i, lowerCaseNeedle, 0, lowerCaseNeedle.length())) {
                return true;
            }
        }
        return false;
    }

    private static int wordEnd(String sql, int start) {
        int i = start;
        while (i < sql.length() && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    private static int skipSpaceAndComments(String sql, int from, boolean mysql) {
        int n = sql.length();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#' && mysql) {
                i = endOfLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = endOfBlockComment(sql, i);
            } else {
                return i;
            }
        }
        return n;
    }

    private static int endOfLine(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int endOfBlockComment(String sql, int i) {
        int end = sql.indexOf("*/", i + 2);
        return end < 0 ? sql.length() : end + 2;
    }

    /** Past the closing quote; a doubled quote is an escaped one, and on MySQL so is a backslash escape. */
    private static int endOfQuote(String sql, int i, char quote, boolean mysql) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\\' && mysql && quote != '`') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    /** PostgreSQL's {@code $tag$...$tag$}; a {@code $1} parameter or a lone {@code $} is skipped as itself. */
    private static int endOfDollarQuote(String sql, int i) {
        int n = sql.length();
        int j = i + 1;
        if (j < n && Character.isDigit(sql.charAt(j))) {
            return j;
        }
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j >= n || sql.charAt(j) != '$') {
            return i + 1;
        }
        String tag = sql.substring(i, j + 1);
        int end = sql.indexOf(tag, j + 1);
        return end < 0 ? n : end + tag.length();
    }
}
