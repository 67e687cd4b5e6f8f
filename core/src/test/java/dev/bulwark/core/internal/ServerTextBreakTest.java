package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.Dialect;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of {@link ServerText}: server messages, as MariaDB 10.11 and PostgreSQL 15 write them, whose
 * values survived redaction or whose identifiers did not.
 */
class ServerTextBreakTest {

    private static final String V = "CnRy1";

    /**
     * MariaDB with {@code lc_messages=zh_CN} (a session or server setting) writes the value right after a CJK
     * letter: the quote was read as an apostrophe inside a word and the value kept (ErrorTextBreakIT shows it on a
     * real server).
     */
    @Test
    void aValueQuotedRightAfterANonLatinLetterIsRedacted() {
        assertThat(ServerText.primary(Dialect.MYSQL, "(conn=7) 重复条目'" + V + "'键'PRIMARY'")).doesNotContain(V);
    }

    /**
     * PostgreSQL's own translations (postgres-15.mo, de and fr among the 12 installed here) quote values with
     * guillemets, which were not read as quotes: with {@code lc_messages} German or French every value survived.
     */
    @Test
    void guillemetsQuoteValuesToo() {
        assertThat(ServerText.redact("ungültige Eingabesyntax für Typ integer: »" + V + "«")).doesNotContain(V);
        assertThat(ServerText.redact("syntaxe en entrée invalide pour le type integer : « " + V + " »"))
                .doesNotContain(V);
    }

    /** What a person needs: the column MariaDB names in 1364 and the parameter PostgreSQL names. */
    @Test
    void namesAfterFieldAndParameterStay() {
        assertThat(ServerText.primary(Dialect.MYSQL, "(conn=7) Field 'created_at' doesn't have a default value"))
                .contains("created_at");
        assertThat(ServerText.redact("invalid value for parameter \"DateStyle\": \"" + V + "\""))
                .contains("DateStyle").doesNotContain(V);
    }

    /**
     * MariaDB 10.11's syntax error quotes the statement from the error on, line breaks included; cut at the first
     * line, the near-text's last quote on that line was a literal's opening quote, and the literal's first line
     * followed as plain text (message captured from the server for {@code a = = 'v-first<newline>v-second'}).
     */
    @Test
    void aSyntaxErrorsNearTextSpanningLinesKeepsNoLiteral() {
        String server = "(conn=9) You have an error in your SQL syntax; check the manual that corresponds to your MariaDB"
                + " server version for the right syntax to use near '= '" + V + "-first\n" + V
                + "-second' AND b = 'x'' at line 1";
        assertThat(ServerText.primary(Dialect.MYSQL, server)).contains("syntax").doesNotContain(V);
    }
}
