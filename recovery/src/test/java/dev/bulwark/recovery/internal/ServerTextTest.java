package dev.bulwark.recovery.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/** A driver's message keeps its reason and loses the row, in the shapes PostgreSQL, MariaDB and SQLite use. */
class ServerTextTest {

    @Property
    void noValueSurvives(@ForAll @AlphaChars @NumericChars @StringLength(min = 6, max = 20) String value) {
        String[] messages = {
            "ERROR: new row for relation \"account\" violates check constraint \"c\"\n  Detail: Failing row contains (1, "
                    + value + ").\n  Where: COPY account, line 1: \"1\t" + value + "\"",
            "Batch entry 0 INSERT INTO \"account\" (\"id\", \"owner\") VALUES (('1'::numeric), ('" + value
                    + "')) was aborted: ERROR: duplicate key value violates unique constraint \"account_pkey\"\n"
                    + "  Detail: Key (id)=(" + value + ") already exists.  Call getNextException to see other errors in the batch.",
            "ERROR: invalid input syntax for type integer: \"" + value + "\"",
            "(conn=12) Duplicate entry '" + value + "' for key 'PRIMARY'",
            "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: account.owner '" + value + "')",
        };
        for (String message : messages) {
            String line = ServerText.redact(message);
            assertThat(line).as(message).doesNotContain(value).doesNotContain("\n");
        }
    }

    /** Servers quote values without escaping them: a value holding quotes or newlines must not end the redaction. */
    @Property
    void noValueSurvivesWithQuotesOrNewlines(@ForAll @AlphaChars @StringLength(min = 6, max = 20) String value,
                                             @ForAll("wrappers") String wrapper) {
        String hostile = wrapper.replace("V", value);
        String[] messages = {
            "ERROR: invalid input syntax for type integer: \"" + hostile + "\"\n  Where: COPY t, line 1, column v: \""
                    + hostile + "\"",
            "(conn=12) Incorrect integer value: '" + hostile + "' for column `d`.`t`.`v` at row 1",
            "(conn=12) Duplicate entry '" + hostile + "' for key 'PRIMARY'",
        };
        for (String message : messages) {
            assertThat(ServerText.redact(message)).as(message).doesNotContain(value).doesNotContain("\n");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> wrappers() {
        return net.jqwik.api.Arbitraries.of("V\"", "V\nx", "x: \"V", "'V", "V'", "a' for key 'V", "V' for x", "V\n'",
                "\"V\"\"", "''V''", "a'\nV");
    }

    @Property
    void theReasonStays(@ForAll @AlphaChars @StringLength(min = 6, max = 20) String value) {
        assertThat(ServerText.redact("ERROR: new row for relation \"account\" violates check constraint \"c\"\n  Detail: "
                + value)).isEqualTo("ERROR: new row for relation \"account\" violates check constraint \"c\"");
        assertThat(ServerText.redact("Batch entry 3 INSERT INTO t VALUES ('" + value + "') was aborted: ERROR: x"))
                .isEqualTo("Batch entry 3 was aborted: ERROR: x");
        assertThat(ServerText.redact("(conn=1) Incorrect integer value: '" + value + "' for column `d`.`t`.`v` at row 1"))
                .isEqualTo("(conn=1) Incorrect integer value: '…' for column `d`.`t`.`v` at row 1");
        assertThat(ServerText.redact("(conn=1) Duplicate entry '" + value + "' for key 'PRIMARY'"))
                .isEqualTo("(conn=1) Duplicate entry '…' for key '…'");
    }
}
