package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.Dialect;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ServerText} against the shapes of real server messages (PostgreSQL's primary texts, MariaDB's and
 * SQLite's messages as their drivers report them), with a generated value in every place a value appears and a
 * generated name in every place a name appears: no piece of the value survives, every name does.
 *
 * <p>A value is a canary marker between every two of its characters ({@code CnRy'CnRy CnRy"CnRy...}), the
 * characters drawn from letters, digits, spaces, both quotes, back quotes and punctuation: a message that still
 * contains the marker kept part of the value. (A value that itself spells an identifier word and a quote, such
 * as {@code x' for key 'y}, is a documented limit of the redaction and cannot be formed this way.)
 */
class ServerTextProperties {

    private static final String MARK = "CnRy";

    /** A message shape: {@code {v}} is a value, {@code {i}} a name. */
    private static final List<String> SHAPES = List.of(
            // PostgreSQL primary texts (ServerErrorMessage.getMessage())
            "invalid input syntax for type integer: \"{v}\"",
            "invalid input syntax for type {i}: \"{v}\"",
            "value \"{v}\" is out of range for type integer",
            "syntax error at or near \"{v}\"",
            "unterminated quoted string at or near \"'{v}\"",
            "date/time field value out of range: \"{v}\"",
            "invalid input value for enum {i}: \"{v}\"",
            "new row for relation \"{i}\" violates check constraint \"{i}\"",
            "duplicate key value violates unique constraint \"{i}\"\n  Detail: Key (id)=({v}) already exists.",
            "relation \"{i}\" does not exist",
            "column \"{i}\" of relation \"{i}\" does not exist",
            // MariaDB / MySQL, with Connector/J's prefix and its optional query dump
            "(conn=12) Duplicate entry '{v}' for key '{i}'",
            "Duplicate entry '{v}-{v}' for key '{i}'",
            "(conn=7) You have an error in your SQL syntax; check the manual that corresponds to your MariaDB "
                    + "server version for the right syntax to use near ''{v}' WHERE x = '{v}'' at line 1",
            "Incorrect integer value: '{v}' for column `{i}`.`{i}`.`{i}` at row 1",
            "Truncated incorrect DOUBLE value: '{v}'",
            "Data too long for column '{i}' at row 1",
            "Table '{i}.{i}' doesn't exist",
            "(conn=3) CONSTRAINT `{i}` failed for `{i}`.`{i}`\nQuery is: INSERT INTO t VALUES ('{v}'), parameters ['{v}']",
            // SQLite's own text (inside sqlite-jdbc's parentheses)
            "near \"{v}\": syntax error",
            "unrecognized token: \"{v}\"",
            "UNIQUE constraint failed: {i}.{i}",
            "cannot store TEXT value in INTEGER column {i}.{i}");

    @Property(tries = 2000)
    void noPieceOfAValueSurvivesAndEveryNameDoes(@ForAll("shapes") String shape, @ForAll("values") String value,
                                                 @ForAll("names") String name) {
        String message = shape.replace("{v}", value).replace("{i}", name);
        String redacted = ServerText.redact(message);
        assertThat(redacted).as("redacted %s", message).doesNotContainIgnoringCase(MARK);
        String firstLine = shape.lines().findFirst().orElseThrow();
        if (firstLine.contains("{i}")) {
            assertThat(redacted).as("redacted %s", message).contains(name);
        }
    }

    @Property(tries = 500)
    void theDriversWrappingIsTakenOffBeforeRedacting(@ForAll("values") String value, @ForAll("names") String name) {
        String mariadb = "(conn=42) Duplicate entry '" + value + "' for key '" + name + "'\nQuery is: INSERT '" + value + "'";
        assertThat(ServerText.primary(Dialect.MYSQL, mariadb)).isEqualTo("Duplicate entry '?' for key '" + name + "'");
        String sqlite = "[SQLITE_ERROR] SQL error or missing database (near \"" + value + "\": syntax error)";
        assertThat(ServerText.primary(Dialect.SQLITE, sqlite)).isEqualTo("near \"?\": syntax error");
    }

    @Example
    void keepsApostrophesInsideWordsAndCutsRunawayMessages() {
        assertThat(ServerText.redact("Table 'db.t' doesn't exist")).isEqualTo("Table 'db.t' doesn't exist");
        assertThat(ServerText.redact("x".repeat(10_000))).hasSize(ServerText.MAX_LENGTH + 3);
        assertThat(ServerText.primary(Dialect.POSTGRESQL, "ERROR: x")).as("PostgreSQL is read by the jdbc layer")
                .isNull();
    }

    @Provide
    Arbitrary<String> shapes() {
        return Arbitraries.of(SHAPES);
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<Character> hostile = Arbitraries.chars().with('\'', '"', '`', ' ', '-', ',', ';', ':', '(', ')', '=',
                '\\', '%').range('a', 'z').range('0', '9');
        return hostile.list().ofMinSize(0).ofMaxSize(12).map(chars -> {
            StringBuilder v = new StringBuilder(MARK);
            for (char c : chars) {
                v.append(c).append(MARK);
            }
            return v.toString();
        });
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(12)
                .map(s -> "id_" + s);
    }
}
