package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LedgerTableTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "1ledger", "ledger; DROP TABLE account", "app.ledger", "\"ledger\"", "led ger",
            "ledger--", "ledger_name_that_is_far_too_long_for_an_identifier_x"})
    void refusesUnsafeTableNames(String name) {
        assertThatThrownBy(() -> new LedgerTable(name, Dialect.POSTGRESQL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("letters, digits or underscores");
    }

    @Test
    void refusesNullTableNameInSettings() {
        assertThatThrownBy(() -> ResolutionSettings.defaults().withLedgerTable(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
    }

    @Test
    void acceptsPlainIdentifiers() {
        assertThat(new LedgerTable("App_Ledger_2", Dialect.MARIADB).existsSql())
                .isEqualTo("SELECT 1 FROM App_Ledger_2 WHERE unit_id = ?");
    }

    @Test
    void migrationUsesConfiguredNameForTableAndIndex() {
        assertThat(new LedgerTable("my_ledger", Dialect.POSTGRESQL).migrationStatements())
                .hasSize(2)
                .allSatisfy(sql -> assertThat(sql).contains("my_ledger").doesNotContain("bulwark_commit_ledger"))
                .anySatisfy(sql -> assertThat(sql).startsWith("CREATE INDEX IF NOT EXISTS my_ledger_created_at"));
    }

    @Test
    void refusesUnitIdsThatDoNotFitTheKey() {
        assertThatThrownBy(() -> new CommitToken.Ledger("x".repeat(65), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unit id");
        assertThatThrownBy(() -> new CommitToken.Ledger("a'b", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNonPositiveRetention() {
        assertThatThrownBy(() -> ResolutionSettings.defaults().withRetention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention")
                .hasMessageContaining("PT0S");
    }

    @Test
    void detectsDialectFromProductName() {
        assertThat(Dialect.ofProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.ofProductName("MariaDB")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.ofProductName("MySQL")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.ofProductName("SQLite")).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.ofProductName("H2")).isEqualTo(Dialect.OTHER);
    }
}
