package dev.bulwark.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the scan for SQL-level transaction control inside a unit finds, and what it leaves alone. */
class TransactionControlTest {

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "commit work", "  BEGIN", "begin;", "START TRANSACTION READ WRITE", "END",
            "ROLLBACK", "rollback to savepoint x", "ABORT", "SAVEPOINT a", "RELEASE SAVEPOINT a",
            "PREPARE TRANSACTION 'x'", "XA START 'x'", "SET TRANSACTION READ WRITE",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "set autocommit = 1",
            "SET LOCAL transaction_read_only = off", "/* c */ -- line\n COMMIT", "(COMMIT)",
            "PRAGMA query_only = OFF", "INSERT INTO t VALUES (1); COMMIT", "SELECT 1;\n/* x; */ END",
            "SELECT 'it''s'; ROLLBACK", "SELECT $$;$$; BEGIN", "SELECT $tag$ ; $tag$ ; begin",
            "RESET transaction_read_only", "SET U&\"\\0074ransaction\\005fread\\005fonly\" = off"})
    void refusesTransactionControlOnEveryServer(String sql) {
        assertThat(TransactionControl.refusal(sql, false)).isNotNull();
        assertThat(TransactionControl.refusal(sql, true)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "INSERT INTO commits VALUES (1)", "UPDATE t SET begin_at = now()",
            "SELECT 'a;commit'", "SELECT 1 -- ; commit", "SELECT 1 /* ; commit */", "SELECT $$;commit$$",
            "SELECT $1::int; SELECT 2", "SET statement_timeout = 1000", "SET NAMES utf8mb4", "PREPARE p AS SELECT 1",
            "DO $$ BEGIN PERFORM 1; END $$", "CREATE TABLE t (id INT)", "DROP TABLE t", "LOCK TABLE t",
            "WITH x AS (SELECT 1) SELECT * FROM x", "", ";", "   ", "PRAGMA table_info(t)",
            "startup", "ends", "committed", "C", "release_notes"})
    void leavesOrdinaryStatementsAloneOnPostgres(String sql) {
        assertThat(TransactionControl.refusal(sql, false)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE t (id INT)", "create index i on t (id)", "DROP TABLE t",
            "ALTER TABLE t ADD c INT", "TRUNCATE t", "RENAME TABLE a TO b", "LOCK TABLES t WRITE", "UNLOCK TABLES",
            "GRANT SELECT ON t TO u", "FLUSH TABLES", "ANALYZE TABLE t", "OPTIMIZE TABLE t",
            "INSERT INTO t VALUES (1); # c\n CREATE TABLE u (id INT)", "SELECT 'a\\';drop' ; DROP TABLE t",
            "/*!COMMIT*/", "/*M!100000 COMMIT */", "/*!50000 CREATE TABLE t (id INT) */", "SELECT 1; /*!COMMIT*/",
            "SET STATEMENT max_statement_time=100 FOR CREATE TABLE t (a INT)", "CHECK TABLE t", "CACHE INDEX t IN c",
            "LOAD INDEX INTO CACHE t", "RESET QUERY CACHE", "START SLAVE", "STOP SLAVE", "CHANGE MASTER TO x='y'",
            "SET PASSWORD = PASSWORD('x')", "EXECUTE IMMEDIATE 'COMMIT'", "PREPARE s FROM 'COMMIT'", "EXECUTE s"})
    void refusesStatementsThatCommitImplicitlyOnMysql(String sql) {
        assertThat(TransactionControl.refusal(sql, true)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TEMPORARY TABLE t (id INT)", "DROP TEMPORARY TABLE t",
            "CREATE OR REPLACE TEMPORARY TABLE t (id INT)", "SELECT 'x; create table'", "SELECT 1 # ; drop",
            "SELECT /*+ hint */ 1", "SET STATEMENT max_statement_time=1 FOR SELECT 'commit'", "CHECKSUM TABLE t",
            "SELECT /*!50000 1 */ FROM t"})
    void allowsTemporaryTablesOnMysql(String sql) {
        assertThat(TransactionControl.refusal(sql, true)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO t VALUES (1) RETURNING id", " update t set a = 1 returning a",
            "DELETE FROM t RETURNING *", "WITH x AS (INSERT INTO t VALUES (1) RETURNING id) SELECT * FROM x",
            "CALL p()", "{call p()}", "SELECT 1; INSERT INTO t VALUES (1)", "COMMIT"})
    void takesQueriesThatWriteForWrites(String sql) {
        assertThat(TransactionControl.mayWrite(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "select * from t where a = ?;", "WITH x AS (SELECT 1) SELECT * FROM x",
            "SHOW search_path", "", "VALUES (1)"})
    void takesReadsForReads(String sql) {
        assertThat(TransactionControl.mayWrite(sql)).isFalse();
    }
}
