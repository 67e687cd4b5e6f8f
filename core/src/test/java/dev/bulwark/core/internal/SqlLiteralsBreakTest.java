package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Adversarial review of {@link SqlLiterals}: statements PostgreSQL and MariaDB accept whose literal values the
 * statement log printed verbatim.
 */
class SqlLiteralsBreakTest {

    private static final String MARK = "CnRy";

    /** PostgreSQL's array constructor: the bracket was read as a SQL Server name and kept with its strings. */
    @Example
    void anArrayConstructorsStringsAreRedacted() {
        assertThat(SqlLiterals.redact("SELECT * FROM users WHERE email = ANY (ARRAY['CnRy@example.com', 'x'])"))
                .doesNotContain(MARK);
        assertThat(SqlLiterals.redact("SELECT ARRAY[98761, 98762]")).doesNotContain("9876");
    }

    /**
     * With standard_conforming_strings on (PostgreSQL's default since 9.1) a backslash is an ordinary character:
     * {@code 'C:\'} is a whole literal and the next quote opens a new one, which was printed as text.
     */
    @Example
    void aBackslashAtTheEndOfAStandardStringDoesNotUnredactTheNextLiteral() {
        assertThat(SqlLiterals.redact("INSERT INTO files (dir, owner) VALUES ('C:\\', 'CnRy-owner')"))
                .doesNotContain(MARK);
    }

    /** An apostrophe in a comment opened a "literal" that closed on the real literal's opening quote. */
    @Example
    void anApostropheInACommentDoesNotUnredactTheNextLiteral() {
        assertThat(SqlLiterals.redact("-- find the user's row\nSELECT * FROM users WHERE email = 'CnRy@example.com'"))
                .doesNotContain(MARK);
        assertThat(SqlLiterals.redact("/* don't cache */ SELECT * FROM users WHERE email = 'CnRy@example.com'"))
                .doesNotContain(MARK);
    }

    /** An unclosed back quote or bracket (in a comment) kept the rest of the statement verbatim. */
    @Example
    void anUnclosedBackQuoteOrBracketInACommentDoesNotKeepTheRest() {
        assertThat(SqlLiterals.redact("/* see `notes */ SELECT * FROM users WHERE email = 'CnRy@example.com'"))
                .doesNotContain(MARK);
        assertThat(SqlLiterals.redact("-- [1 of 2\nSELECT * FROM users WHERE email = 'CnRy@example.com'"))
                .doesNotContain(MARK);
    }

    /** Literals after a comment holding any of the characters the redactor treats specially. */
    @Property(tries = 500)
    void noLiteralSurvivesAComment(@ForAll("comments") String comment, @ForAll("prefixes") String prefix) {
        String sql = comment + prefix + "SELECT * FROM t WHERE a = 'CnRy1' AND b = ARRAY['CnRy2'] AND c = 98765";
        assertThat(SqlLiterals.redact(sql)).as("logged %s", sql).doesNotContain(MARK).doesNotContain("98765");
    }

    @Provide
    Arbitrary<String> comments() {
        Arbitrary<String> body = Arbitraries.strings().withChars("ab '\"`[]$\\").ofMaxLength(6);
        return Arbitraries.oneOf(body.map(b -> "-- " + b + "\n"), body.map(b -> "/* " + b + " */ "),
                body.map(b -> "# " + b + "\n"), Arbitraries.just(""));
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("", "SELECT 'C:\\' AS d; ", "SELECT E'it\\'s' AS d; ", "SELECT 'it''s' AS d; ");
    }
}
