package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.core.Dialect.MYSQL;
import static dev.bulwark.core.Dialect.POSTGRESQL;
import static dev.bulwark.core.Dialect.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestructiveStatementTest {

    private static List<String> tables(String sql, Dialect dialect) throws RecoveryException {
        return DestructiveStatement.find(sql, dialect).stream()
                .flatMap(s -> s.tables().stream())
                .map(n -> (n.schema() == null ? "" : n.schema() + ".") + n.table())
                .toList();
    }

    private static List<String> operations(String sql, Dialect dialect) throws RecoveryException {
        return DestructiveStatement.find(sql, dialect).stream().map(DestructiveStatement::operation).toList();
    }

    @Test
    void findsTheTablesOfEachDestructiveForm() throws Exception {
        assertThat(tables("DROP TABLE IF EXISTS a, b CASCADE", POSTGRESQL)).containsExactly("a", "b");
        assertThat(tables("truncate only Acc *, \"Mixed\" restart identity cascade", POSTGRESQL))
                .containsExactly("acc", "Mixed");
        assertThat(tables("DELETE FROM ONLY t AS x", POSTGRESQL)).containsExactly("t");
        assertThat(tables("DELETE LOW_PRIORITY QUICK FROM `Tab` ORDER BY id LIMIT 10", MYSQL)).containsExactly("Tab");
        assertThat(tables("ALTER TABLE IF EXISTS s.t DROP COLUMN c", POSTGRESQL)).containsExactly("s.t");
        assertThat(tables("ALTER ONLINE TABLE t ADD x INT, DROP y", MYSQL)).containsExactly("t");
        assertThat(tables("CREATE OR REPLACE TABLE t (id INT)", MYSQL)).containsExactly("t");
        assertThat(tables("DROP TEMPORARY TABLE t", MYSQL)).containsExactly("t");
        assertThat(tables("EXPLAIN (ANALYZE, FORMAT JSON) DELETE FROM t", POSTGRESQL)).containsExactly("t");
        assertThat(tables("ANALYZE DELETE FROM t", MYSQL)).containsExactly("t");
        assertThat(tables("ANALYZE TABLE t", MYSQL)).isEmpty();
        assertThat(operations("DROP TABLE a; TRUNCATE b; DELETE FROM c; ALTER TABLE d DROP e", POSTGRESQL))
                .containsExactly("DROP TABLE", "TRUNCATE", "DELETE without WHERE", "ALTER TABLE ... DROP");
    }

    @Test
    void leavesEverythingElseAlone() throws Exception {
        assertThat(tables("DELETE FROM t WHERE id = ?", POSTGRESQL)).isEmpty();
        assertThat(tables("DELETE FROM t USING u WHERE t.id = u.id", POSTGRESQL)).isEmpty();
        assertThat(tables("DELETE t FROM t JOIN u ON t.id = u.id WHERE u.gone", MYSQL)).isEmpty();
        assertThat(tables("DROP INDEX i", POSTGRESQL)).isEmpty();
        assertThat(tables("ALTER TABLE t ADD COLUMN c INT", POSTGRESQL)).isEmpty();
        assertThat(tables("ALTER TABLE t ADD CHECK (x IN (SELECT 1 WHERE false))", POSTGRESQL)).isEmpty();
        assertThat(tables("SELECT TRUNCATE(1.25, 1), 'DROP TABLE x' FROM dual", MYSQL)).isEmpty();
        assertThat(tables("INSERT INTO log VALUES ('DELETE FROM t'); -- DROP TABLE t", POSTGRESQL)).isEmpty();
        assertThat(tables("SELECT $$ DROP TABLE t; $$, $x$ ; DELETE FROM t $x$", POSTGRESQL)).isEmpty();
        assertThat(tables("SELECT /* outer /* DROP TABLE t */ still comment */ 1", POSTGRESQL)).isEmpty();
        assertThat(tables("SELECT 'it\\'s; DROP TABLE t' # DROP TABLE u", MYSQL)).isEmpty();
        assertThat(tables("SELECT E'it\\'s; DROP TABLE t'", POSTGRESQL)).isEmpty();
        assertThat(tables("SELECT \"DROP TABLE t\"", MYSQL)).as("a string in MariaDB").isEmpty();
    }

    @Test
    void readsQuotedAndUnicodeNamesLiterally() throws Exception {
        assertThat(tables("DROP TABLE \"we\"\"ird;DROP TABLE x;--\"", POSTGRESQL)).containsExactly("we\"ird;DROP TABLE x;--");
        assertThat(tables("DROP TABLE `back``tick; x`", MYSQL)).containsExactly("back`tick; x");
        assertThat(tables("DROP TABLE [odd name]", SQLITE)).containsExactly("odd name");
        assertThat(tables("DROP TABLE Ünïcödé_表", POSTGRESQL)).containsExactly("ünïcödé_表");
        assertThat(tables("DROP TABLE Ünïcödé_表", MYSQL)).containsExactly("Ünïcödé_表");
        assertThat(tables("DROP TABLE \"select\"", SQLITE)).containsExactly("select");
        assertThat(tables("/*!40101 DROP TABLE hidden */", MYSQL)).as("MariaDB runs executable comments")
                .containsExactly("hidden");
    }

    @Test
    void refusesWhatCannotBeReadSafely() {
        assertRefused("DROP TABLE \"unterminated", POSTGRESQL, "unterminated quoted identifier");
        assertRefused("DELETE FROM t /* no end", POSTGRESQL, "unterminated /* comment");
        assertRefused("DROP TABLE \"a\u0001b\"", POSTGRESQL, "control character");
        assertRefused("DROP TABLE \"\"", SQLITE, "a name is required");
        assertRefused("DROP TABLE (SELECT 1)", POSTGRESQL, "a table name was expected");
        assertRefused("DROP TABLE a b", POSTGRESQL, "not understood");
        assertRefused("DROP TABLE a.b.c", POSTGRESQL, "more than two parts");
        assertRefused("DELETE t FROM t JOIN u ON t.id = u.id", MYSQL, "not understood");
        assertRefused("WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone", POSTGRESQL, "WITH");
        assertRefused("TRUNCATE", POSTGRESQL, "at the end of the statement");
    }

    private static void assertRefused(String sql, Dialect dialect, String reason) {
        assertThatThrownBy(() -> DestructiveStatement.find(sql, dialect))
                .isInstanceOf(RecoveryException.class)
                .hasMessageStartingWith("statement refused and not run: ")
                .hasMessageContaining(reason)
                .extracting(e -> ((RecoveryException) e).getSQLState()).isEqualTo(RecoveryException.INVALID_NAME);
    }
}
