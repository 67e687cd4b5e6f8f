package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DestructiveStatementProperties {

    @Provide
    Arbitrary<String> names() {
        // quotes of every dialect, statement separators, comment starters, unicode (also outside the BMP)
        return Arbitraries.strings().withChars("aZ_0 ;'\"`[]-/*#$\\.,()é表").withCharRange('\u4e00', '\u4e10')
                .withChars("\uD83D\uDE00").ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.contains("]")); // SQLite's [...] cannot hold ']'; other quotes are doubled
    }

    @Property
    void aQuotedNameIsReadBackExactlyWhateverItHolds(@ForAll("names") String name, @ForAll Dialect dialect)
            throws RecoveryException {
        Dialect sql = dialect == Dialect.MYSQL || dialect == Dialect.SQLITE ? dialect : Dialect.POSTGRESQL;
        String quoted = sql == Dialect.MYSQL ? '`' + name.replace("`", "``") + '`' : '"' + name.replace("\"", "\"\"") + '"';
        List<DestructiveStatement> found = DestructiveStatement.find(
                "/* x */ DROP TABLE IF EXISTS " + quoted + " -- done\n; SELECT 1", sql);
        assertThat(found).singleElement().satisfies(s -> assertThat(s.tables())
                .containsExactly(new DestructiveStatement.Name(null, name, true)));
    }

    @Property
    void aDestructiveStatementInsideAStringLiteralIsNeverFound(@ForAll("names") String text) throws RecoveryException {
        String literal = "'" + text.replace("\\", "\\\\").replace("'", "''") + " DROP TABLE t'";
        assertThat(DestructiveStatement.find("SELECT " + literal, Dialect.MYSQL)).isEmpty();
        assertThat(DestructiveStatement.find("SELECT E" + literal, Dialect.POSTGRESQL)).isEmpty();
    }
}
