package dev.bulwark.recovery.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The strict grammar a declared column type must match before Bulwark writes it into a CREATE TABLE:
 * <pre>
 * type      = name [ "(" int [ "," int ] ")" ] [ suffix ] { "[" [ int ] "]" }
 * name      = word { " " word }          (at most four words, none a constraint keyword)
 * word      = identifier [ "." identifier ] | '"' identifier '"'
 * suffix    = "with time zone" | "without time zone" | "unsigned" [ "zerofill" ] | "zerofill"
 *           | "character set" identifier [ "collate" identifier ]
 * </pre>
 * This covers what the three catalogs report for ordinary columns (PostgreSQL's {@code format_type},
 * MariaDB's {@code COLUMN_TYPE} with its character set, SQLite's declared type) and nothing that could
 * add a clause: no constraint keyword (CHECK, DEFAULT, REFERENCES, GENERATED, COLLATE ...), no quote
 * inside a word, no expression, no parenthesis holding anything but digits. Thread-safe (stateless).
 */
public final class ColumnType {

    /** Words that start a column constraint or another clause in PostgreSQL, MariaDB or SQLite. */
    private static final List<String> CLAUSE_WORDS = List.of("check", "default", "references", "constraint", "primary",
            "key", "unique", "not", "null", "generated", "always", "as", "collate", "on", "auto_increment",
            "autoincrement", "identity", "stored", "virtual", "persistent", "invisible", "comment", "cascade", "delete",
            "update", "using", "set", "deferrable", "initially", "match", "compression", "storage", "with", "without",
            "select", "where", "from", "and", "or", "is", "in", "like", "then", "else", "case", "when", "end", "union");
    private static final String IDENT = "[A-Za-z_][A-Za-z0-9_$]{0,62}";
    private static final String NOT_A_CLAUSE = "(?!(?:" + String.join("|", CLAUSE_WORDS) + ")(?![A-Za-z0-9_$.]))";
    private static final String WORD = "(?:" + NOT_A_CLAUSE + IDENT + "(?:\\." + IDENT + ")?|\"" + IDENT + "\")";
    private static final String INT = "[+-]?[0-9]{1,10}";
    private static final Pattern GRAMMAR = Pattern.compile(
            WORD + "(?: " + WORD + "){0,3}"
                    + "(?: ?\\(" + INT + "(?: ?, ?" + INT + ")?\\))?"
                    + "(?: (?:with time zone|without time zone|unsigned(?: zerofill)?|zerofill"
                    + "|character set " + IDENT + "(?: collate " + IDENT + ")?))?"
                    + "(?:\\[[0-9]{0,10}\\])*",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_LENGTH = 128;

    private ColumnType() {
    }

    /** Whether {@code type} matches the grammar above. */
    public static boolean isSafe(String type) {
        if (type == null || type.length() > MAX_LENGTH) {
            return false;
        }
        return GRAMMAR.matcher(type).matches();
    }
}
