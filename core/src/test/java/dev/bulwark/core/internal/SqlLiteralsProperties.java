package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link SqlLiterals}: no literal value survives in logged SQL text; the statement's names and shape do. */
class SqlLiteralsProperties {

    private static final String MARK = "CnRy";

    private static final List<String> SHAPES = List.of(
            "INSERT INTO t (id, v) VALUES ('{s}', {n})",
            "UPDATE acct SET note = E'{s}' WHERE id = {n}",
            "SELECT * FROM t1 WHERE a = \"{s}\" AND b IN ({n}, {n})",
            "DO $$BEGIN PERFORM '{s}'; END$$",
            "SELECT $body${s}$body$, col_2 FROM `t_3` WHERE x = '{s}'",
            "INSERT INTO t VALUES '{s}'");

    @Property(tries = 1000)
    void noLiteralSurvives(@ForAll("shapes") String shape, @ForAll("strings") String s, @ForAll("numbers") String n) {
        String sql = shape.replace("{s}", s).replace("{n}", n);
        String logged = SqlLiterals.redact(sql);
        assertThat(logged).as("logged %s", sql).doesNotContain(MARK).doesNotContain("9876");
    }

    @Example
    void keepsNamesAndShape() {
        assertThat(SqlLiterals.redact("SELECT col_2, t1.x FROM `t_3` WHERE id = $1 AND v = 'it''s' LIMIT 10"))
                .isEqualTo("SELECT col_2, t1.x FROM `t_3` WHERE id = $1 AND v = '?' LIMIT ?");
        assertThat(SqlLiterals.redact(null)).isNull();
    }

    @Provide
    Arbitrary<String> shapes() {
        return Arbitraries.of(SHAPES);
    }

    @Provide
    Arbitrary<String> strings() {
        Arbitrary<Character> c = Arbitraries.chars().with('\'', '"', '`', ' ', '\\', '$', ';', '(', ')')
                .range('a', 'z').range('0', '9');
        return c.list().ofMaxSize(10).map(chars -> {
            StringBuilder v = new StringBuilder(MARK);
            for (char ch : chars) {
                // written as a SQL literal is: quotes doubled, backslashes doubled
                if (ch == '\'' || ch == '"' || ch == '\\') {
                    v.append(ch);
                }
                v.append(ch).append(MARK);
            }
            return v.toString();
        });
    }

    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.of("9876", "-9876", "9876.5", "9876e3", "0x9876");
    }
}
