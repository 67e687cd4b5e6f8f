package dev.bulwark.jdbc.internal;

/**
 * Finds SQL that would take a unit's transaction out of the unit's hands: {@code BEGIN}, {@code START
 * TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code ABORT}, {@code SAVEPOINT},
 * {@code RELEASE}, {@code PREPARE TRANSACTION}, {@code XA}, a {@code SET} of the transaction's
 * characteristics or of autocommit, SQLite's {@code PRAGMA query_only}, and on MySQL/MariaDB the statements
 * that commit implicitly (DDL other than on temporary tables, {@code LOCK}/{@code UNLOCK}, {@code GRANT},
 * {@code FLUSH}, table maintenance including {@code CHECK TABLE}, {@code CACHE INDEX}, {@code LOAD INDEX},
 * {@code RESET}, replication control, {@code SET PASSWORD}, dynamic SQL ({@code PREPARE}, {@code EXECUTE},
 * {@code EXECUTE IMMEDIATE}, whose text this scan cannot see), and any of these as the statement of MariaDB's
 * {@code SET STATEMENT ... FOR} or inside an executable comment {@code /*! ... *}{@code /}); on PostgreSQL a
 * {@code RESET} of the transaction's characteristics and a {@code SET}/{@code RESET} whose name is written with
 * Unicode escapes ({@code U&"..."}).
 *
 * <p>Cheap on the hot path: the first keyword of the string is compared without allocating; the rest of the
 * string is scanned only when it holds a {@code ';'}, and then quotes, quoted identifiers, PostgreSQL dollar
 * quotes and comments are skipped, so a {@code ';'} or keyword inside them is not a statement. A statement
 * hidden where this scan does not look (inside a stored procedure or a {@code DO} block) is not found:
 * PostgreSQL refuses those inside a transaction itself; MySQL and MariaDB do not (a {@code CALL} of a procedure
 * that commits, or runs DDL, commits part of the unit).
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

    /**
     * Whether a statement run with {@code executeQuery} may write: its first keyword is a write ({@code INSERT},
     * {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code REPLACE}, {@code CALL}, {@code COPY}, {@code DO}, or
     * transaction control), it is a {@code WITH} that names one of the write keywords, or it holds several
     * statements. A {@code SELECT} of a function with side effects is taken for a read.
     */
    static boolean mayWrite(String sql) {
        if (sql == null) {
            return true;
        }
        int semicolon = sql.indexOf(';');
        if (semicolon >= 0 && !sql.substring(semicolon + 1).isBlank()) {
            return true; // several statements (or a ';' in a literal: taken for a write, to be safe)
        }
        int start = skipSpaceAndComments(sql, 0, false);
        int end = wordEnd(sql, start);
        int length = end - start;
        if (is(sql, start, length, "WITH")) {
            return contains(sql, end, sql.length(), "insert") || contains(sql, end, sql.length(), "update")
                    || contains(sql, end, sql.length(), "delete") || contains(sql, end, sql.length(), "merge");
        }
        return is(sql, start, length, "INSERT") || is(sql, start, length, "UPDATE") || is(sql, start, length, "DELETE")
                || is(sql, start, length, "MERGE") || is(sql, start, length, "REPLACE") || is(sql, start, length, "CALL")
                || is(sql, start, length, "COPY") || is(sql, start, length, "DO")
                || start < sql.length() && sql.charAt(start) == '{' || check(sql, 0, true) != null;
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
                int code = mysql ? executableCommentBody(sql, i) : -1;
                i = code >= 0 ? code : endOfBlockComment(sql, i); // MySQL/MariaDB run the body of /*! */
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
        if (mysql && is(sql, start, length, "SET") && nextWordIs(sql, end, "STATEMENT", mysql)) {
            // MariaDB's SET STATEMENT var = value [, ...] FOR statement: the statement is what runs
            int inner = afterFor(sql, end, mysql);
            String found = inner < 0 ? null : check(sql, inner, mysql);
            if (found != null) {
                return found;
            }
        }
        boolean refused = switch (Character.toUpperCase(sql.charAt(start))) {
            case 'A' -> is(sql, start, length, "ABORT") || mysql && (is(sql, start, length, "ALTER")
                    || is(sql, start, length, "ANALYZE"));
            case 'B' -> is(sql, start, length, "BEGIN");
            case 'C' -> is(sql, start, length, "COMMIT") || mysql && is(sql, start, length, "CREATE")
                    && !nextWordIs(sql, end, "TEMPORARY", mysql) && !nextWordsAreTemporary(sql, end, mysql)
                    || mysql && (is(sql, start, length, "CHECK") && nextWordIs(sql, end, "TABLE", mysql)
                    || is(sql, start, length, "CACHE") || is(sql, start, length, "CHANGE"));
            case 'D' -> mysql && is(sql, start, length, "DROP") && !nextWordIs(sql, end, "TEMPORARY", mysql);
            case 'E' -> is(sql, start, length, "END") || mysql && is(sql, start, length, "EXECUTE"); // dynamic SQL
            case 'F' -> mysql && is(sql, start, length, "FLUSH");
            case 'G' -> mysql && is(sql, start, length, "GRANT");
            case 'I' -> mysql && is(sql, start, length, "INSTALL");
            case 'L' -> mysql && (is(sql, start, length, "LOCK")
                    || is(sql, start, length, "LOAD") && nextWordIs(sql, end, "INDEX", mysql));
            case 'O' -> mysql && is(sql, start, length, "OPTIMIZE");
            case 'P' -> is(sql, start, length, "PREPARE") && (mysql || nextWordIs(sql, end, "TRANSACTION", mysql))
                    || is(sql, start, length, "PRAGMA") && nextWordIs(sql, end, "QUERY_ONLY", mysql);
            case 'R' -> is(sql, start, length, "ROLLBACK") || is(sql, start, length, "RELEASE")
                    || is(sql, start, length, "RESET") && (mysql || setsTransactionState(sql, end))
                    || mysql && (is(sql, start, length, "RENAME") || is(sql, start, length, "REVOKE")
                    || is(sql, start, length, "REPAIR"));
            case 'S' -> is(sql, start, length, "SAVEPOINT")
                    || is(sql, start, length, "START") && (mysql || nextWordIs(sql, end, "TRANSACTION", mysql))
                    || mysql && is(sql, start, length, "STOP")
                    || is(sql, start, length, "SET") && (setsTransactionState(sql, end)
                    || mysql && nextWordIs(sql, end, "PASSWORD", mysql));
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
                || contains(sql, from, end, "read_only") || contains(sql, from, end, "characteristics")
                || contains(sql, from, end, "u&\""); // PostgreSQL's Unicode escapes can spell any name
    }

    /** Past the top-level word {@code FOR} after {@code from} (quotes skipped), or -1 before a ';' or the end. */
    private static int afterFor(String sql, int from, boolean mysql) {
        int n = sql.length();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = endOfQuote(sql, i, c, mysql);
            } else if (c == ';') {
                return -1;
            } else if (Character.isLetter(c) || c == '_') {
                int end = wordEnd(sql, i);
                if (is(sql, i, end - i, "FOR")) {
                    return end;
                }
                i = Math.max(end, i + 1);
            } else {
                i++;
            }
        }
        return -1;
    }

    /**
     * Where the code in a MySQL/MariaDB executable comment ({@code /*!}, {@code /*!50700}, {@code /*M!100100})
     * starts, or -1 if the comment at {@code i} is an ordinary one. The server runs that code.
     */
    private static int executableCommentBody(String sql, int i) {
        int j = i + 2;
        if (j < sql.length() && (sql.charAt(j) == 'M' || sql.charAt(j) == 'm') && j + 1 < sql.length()
                && sql.charAt(j + 1) == '!') {
            j++;
        }
        if (j >= sql.length() || sql.charAt(j) != '!') {
            return -1;
        }
        j++;
        while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            j++;
        }
        return j;
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
                int code = mysql ? executableCommentBody(sql, i) : -1;
                i = code >= 0 ? code : endOfBlockComment(sql, i);
            } else if (mysql && c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                i += 2; // the end of an executable comment
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
