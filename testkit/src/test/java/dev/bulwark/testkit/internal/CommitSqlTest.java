package dev.bulwark.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommitSqlTest {

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "commit", " Commit ; ", "COMMIT;", "END", "end work", "COMMIT TRANSACTION",
        "commit work;;", "COMMIT AND CHAIN", "commit and no chain", "COMMIT PREPARED 'tx-1'", "\n\tCOMMIT\n"})
    void recognisesCommitStatements(String sql) {
        assertThat(CommitSql.matches(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "BEGIN", "ROLLBACK", "SELECT 'COMMIT'", "COMMITTED", "INSERT INTO t VALUES ('COMMIT')",
        "COMMIT; COMMIT", "ENDS", "PREPARE TRANSACTION 'x'", "COMMIT PREPARED", "-- COMMIT"})
    void rejectsEverythingElse(String sql) {
        assertThat(CommitSql.matches(sql)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void rejectsNullAndOverlongText() {
        assertThat(CommitSql.matches(null)).isFalse();
        assertThat(CommitSql.matches("COMMIT" + " ".repeat(CommitSql.MAX_LENGTH))).isFalse();
    }
}
