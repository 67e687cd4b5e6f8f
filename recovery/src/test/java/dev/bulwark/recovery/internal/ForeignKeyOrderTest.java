package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.RecoveryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForeignKeyOrderTest {

    private static TableDefinition table(String name, String... references) {
        return new TableDefinition(name, List.of(new TableDefinition.Column("id", "INT", false)), List.of("id"),
                java.util.Arrays.stream(references)
                        .map(r -> new TableDefinition.ForeignKey(List.of("id"), r, List.of("id"))).toList());
    }

    @Test
    void referencedTablesComeFirstAndSelfReferencesAreAllowed() throws Exception {
        List<TableDefinition> sorted = ForeignKeyOrder.sort(List.of(
                table("line", "order", "product"), table("order", "customer"), table("product"),
                table("customer", "customer"), table("audit", "elsewhere")));
        assertThat(sorted).extracting(TableDefinition::name)
                .containsExactly("customer", "order", "product", "line", "audit");
    }

    @Test
    void aCycleIsRefusedNamingItsTables() {
        assertThatThrownBy(() -> ForeignKeyOrder.sort(List.of(table("a", "b"), table("b", "c"), table("c", "a"))))
                .isInstanceOf(RecoveryException.class)
                .hasMessageContaining("'a' -> 'b' -> 'c' -> 'a'");
    }
}
