package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A statement that drops or empties tables, found in SQL text: {@code DROP TABLE}, {@code TRUNCATE [TABLE]},
 * {@code DELETE} without a top-level {@code WHERE}, {@code ALTER TABLE ... DROP ...} and MariaDB's
 * {@code CREATE OR REPLACE TABLE}. Names are read as the database reads them: unquoted ones folded to
 * lower case on PostgreSQL, quoted ones ({@code "..."}, MariaDB/SQLite {@code `...`}, SQLite {@code [...]})
 * taken literally with doubled quotes undone, optionally qualified by a schema. Immutable.
 *
 * @param operation what the statement does, for people ("DROP TABLE", "DELETE without WHERE", ...)
 * @param tables    the tables it destroys or empties
 */
public record DestructiveStatement(String operation, List<Name> tables) {

    /** A table name as written: {@code schema} is null when unqualified. */
    public record Name(String schema, String table, boolean quoted) {
    }

    private static final Pattern MAYBE = Pattern.compile("(?i)drop|truncate|delete|replace");
    private static final Set<String> DELETE_MODIFIERS = Set.of("LOW_PRIORITY", "QUICK", "IGNORE");
    private static final Set<String> TRUNCATE_OPTIONS = Set.of("RESTART", "CONTINUE", "IDENTITY", "CASCADE", "RESTRICT");

    public DestructiveStatement {
        tables = List.copyOf(tables);
    }

    /**
     * The destructive statements in {@code sql}, in order; empty for anything else.
     *
     * @throws RecoveryException 42602 when SQL that may be destructive cannot be read safely (an unterminated
     *                           quote or comment, a name that is not a plain or quoted identifier, a form
     *                           of DELETE or WITH that is not understood); the message says what and where
     */
    public static List<DestructiveStatement> find(String sql, Dialect dialect) throws RecoveryException {
        if (!mayBeDestructive(sql)) {
            return List.of();
        }
        List<List<SqlTokens.Token>> statements;
        try {
            statements = SqlTokens.statements(sql, dialect);
        } catch (SqlTokens.Unreadable e) {
            throw refused("the SQL cannot be read safely: " + e.getMessage());
        }
        List<DestructiveStatement> found = new ArrayList<>();
        for (List<SqlTokens.Token> tokens : statements) {
            DestructiveStatement statement = new Reader(tokens, dialect).read();
            if (statement != null) {
                found.add(statement);
            }
        }
        return found;
    }

    /** Whether rows of tables referencing these ones may go too (ON DELETE CASCADE, TRUNCATE ... CASCADE). */
    public boolean removesReferencingRows() {
        return operation.equals("TRUNCATE") || operation.equals("DELETE without WHERE");
    }

    /** False when {@code sql} holds none of the words a destructive statement needs: the cheap first check. */
    public static boolean mayBeDestructive(String sql) {
        return sql != null && MAYBE.matcher(sql).find();
    }

    static RecoveryException refused(String why) {
        return new RecoveryException("statement refused and not run: " + why + " (a statement that may drop or empty"
                + " a table must name its tables plainly so that a snapshot can be taken first)",
                RecoveryException.INVALID_NAME);
    }

    /** Reads one statement's tokens. */
    private static final class Reader {
        private final List<SqlTokens.Token> tokens;
        private final Dialect dialect;
        private int at;

        Reader(List<SqlTokens.Token> tokens, Dialect dialect) {
            this.tokens = tokens;
            this.dialect = dialect;
        }

        DestructiveStatement read() throws RecoveryException {
            if (at == 0 && (word("EXPLAIN") || word("ANALYZE") || word("ANALYSE"))) {
                // PostgreSQL EXPLAIN ANALYZE and MariaDB ANALYZE run the statement: read the statement itself
                // (a plain EXPLAIN of it is snapshotted too, which is harmless)
                while (at < tokens.size() && !(tokens.get(at).depth() == 0 && (tokens.get(at).isWord("DELETE")
                        || tokens.get(at).isWord("DROP") || tokens.get(at).isWord("TRUNCATE")
                        || tokens.get(at).isWord("ALTER")))) {
                    at++;
                }
                if (at == tokens.size()) {
                    return null;
                }
            }
            if (word("DROP")) {
                word("TEMPORARY");
                if (!word("TABLE")) {
                    return null; // DROP INDEX, VIEW, ...: no table data is lost
                }
                ifExists();
                List<Name> names = nameList(false);
                while (word("CASCADE") || word("RESTRICT") || word("PURGE")) {
                    // options of DROP TABLE
                }
                expectEnd("DROP TABLE");
                return new DestructiveStatement("DROP TABLE", names);
            }
            if (word("TRUNCATE")) {
                word("TABLE");
                word("ONLY");
                List<Name> names = nameList(true);
                while (at < tokens.size() && tokens.get(at).kind() == SqlTokens.Kind.WORD
                        && TRUNCATE_OPTIONS.contains(tokens.get(at).text().toUpperCase(Locale.ROOT))) {
                    at++;
                }
                expectEnd("TRUNCATE");
                return new DestructiveStatement("TRUNCATE", names);
            }
            if (word("DELETE")) {
                while (at < tokens.size() && tokens.get(at).kind() == SqlTokens.Kind.WORD
                        && DELETE_MODIFIERS.contains(tokens.get(at).text().toUpperCase(Locale.ROOT))) {
                    at++;
                }
                if (hasTopLevel("WHERE")) {
                    return null;
                }
                if (!word("FROM")) {
                    throw refused("a DELETE without WHERE whose form is not DELETE FROM <table> is not understood");
                }
                word("ONLY");
                return new DestructiveStatement("DELETE without WHERE", nameList(true));
            }
            if (word("ALTER")) {
                while (word("ONLINE") || word("IGNORE")) {
                    // MariaDB options before TABLE
                }
                if (!word("TABLE")) {
                    return null;
                }
                ifExists();
                word("ONLY");
                Name name = name();
                return hasTopLevel("DROP") ? new DestructiveStatement("ALTER TABLE ... DROP", List.of(name)) : null;
            }
            if (word("CREATE") && word("OR") && word("REPLACE")) {
                word("TEMPORARY");
                if (!word("TABLE")) {
                    return null;
                }
                return new DestructiveStatement("CREATE OR REPLACE TABLE", List.of(name()));
            }
            if (at == 0 && word("WITH")) {
                for (SqlTokens.Token t : tokens) {
                    if (t.isWord("DELETE") || t.isWord("TRUNCATE") || t.isWord("DROP")) {
                        throw refused("a WITH statement containing " + t.text().toUpperCase(Locale.ROOT)
                                + " is not analysed; run the DELETE on its own");
                    }
                }
            }
            return null;
        }

        private boolean word(String keyword) {
            if (at < tokens.size() && tokens.get(at).isWord(keyword)) {
                at++;
                return true;
            }
            return false;
        }

        private void ifExists() throws RecoveryException {
            if (word("IF") && !word("EXISTS")) {
                throw refused("IF must be followed by EXISTS");
            }
        }

        private boolean hasTopLevel(String keyword) {
            for (int i = at; i < tokens.size(); i++) {
                if (tokens.get(i).depth() == 0 && tokens.get(i).isWord(keyword)) {
                    return true;
                }
            }
            return false;
        }

        /** Names separated by commas; {@code star} allows PostgreSQL's {@code name *} (descendant tables). */
        private List<Name> nameList(boolean star) throws RecoveryException {
            List<Name> names = new ArrayList<>();
            do {
                names.add(name());
                if (star && at < tokens.size() && tokens.get(at).isPunct('*')) {
                    at++;
                }
            } while (at < tokens.size() && tokens.get(at).isPunct(',') && ++at > 0);
            return names;
        }

        private Name name() throws RecoveryException {
            String first = part();
            if (at < tokens.size() && tokens.get(at).isPunct('.')) {
                at++;
                String second = part();
                if (at < tokens.size() && tokens.get(at).isPunct('.')) {
                    throw refused("a name with more than two parts (" + SqlDialect.printable(first) + "."
                            + SqlDialect.printable(second) + "....) is not supported");
                }
                return new Name(first, second, tokens.get(at - 1).kind() == SqlTokens.Kind.QUOTED);
            }
            return new Name(null, first, tokens.get(at - 1).kind() == SqlTokens.Kind.QUOTED);
        }

        private String part() throws RecoveryException {
            if (at >= tokens.size()) {
                throw refused("a table name was expected at the end of the statement");
            }
            SqlTokens.Token token = tokens.get(at);
            String name = switch (token.kind()) {
                case QUOTED -> token.text();
                case WORD -> dialect == Dialect.POSTGRESQL ? token.text().toLowerCase(Locale.ROOT) : token.text();
                case PUNCT -> throw refused("a table name was expected where " + SqlDialect.printable(token.text())
                        + " stands (token " + (at + 1) + ")");
            };
            at++;
            try {
                return SqlDialect.validate("table name", name);
            } catch (RecoveryException e) {
                throw refused(e.getMessage());
            }
        }

        private void expectEnd(String what) throws RecoveryException {
            if (at < tokens.size()) {
                throw refused(what + " followed by " + SqlDialect.printable(tokens.get(at).text())
                        + " is not understood (token " + (at + 1) + ")");
            }
        }
    }
}
