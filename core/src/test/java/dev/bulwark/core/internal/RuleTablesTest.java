package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.Dialect;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.Faults;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every built-in rule decides an exception that carries its evidence; precedence within a table. */
class RuleTablesTest {

    @TestFactory
    Stream<DynamicTest> everyRuleDecidesAnExceptionCarryingItsEvidence() {
        return Stream.of(Dialect.values()).flatMap(dialect -> RuleTable.of(dialect).rules().stream()
                .map(rule -> DynamicTest.dynamicTest(dialect + " " + rule.match().describe(), () -> {
                    SQLException e = carrying(rule.match());
                    Fault fault = Faults.forDialect(dialect).classify(e);
                    assertThat(fault.kind()).as(fault.detail()).isEqualTo(rule.kind());
                    assertThat(fault.message()).contains(rule.why()).doesNotContain("evidence-free text");
                    assertThat(fault.retryScope()).isEqualTo(KindTraits.retryScope(rule.kind()));
                })));
    }

    @ParameterizedTest
    @CsvSource({
            "POSTGRESQL, 57P01, 0, CONNECTION",
            "POSTGRESQL, 08006, 0, CONNECTION",
            "POSTGRESQL, 08007, 0, AMBIGUOUS_COMMIT",
            "POSTGRESQL, 40003, 0, AMBIGUOUS_COMMIT",
            "POSTGRESQL, 23514, 0, CONSTRAINT",
            "POSTGRESQL, 28P01, 0, PERMISSION",
            "POSTGRESQL, 42P01, 0, PROGRAMMING",
            "POSTGRESQL, 53300, 0, RESOURCE",
            "POSTGRESQL, 53100, 0, STORAGE_FULL",
            "POSTGRESQL, XX000, 0, UNKNOWN",
            "MYSQL, 08004, 1040, RESOURCE",
            "MYSQL, 70100, 1927, CONNECTION",
            "MYSQL, 70100, 1317, TIMEOUT",
            "MYSQL, 23000, 1062, CONSTRAINT",
            "MYSQL, HY000, 1205, TRANSIENT",
            "MYSQL, 25S03, 0, CONNECTION",
            "MYSQL, 08S01, 1047, CONNECTION",
            "MYSQL, HY000, 1180, CONNECTION",
            "MYSQL, 25000, 0, PROGRAMMING",
            "MYSQL, 40001, 9999, TRANSIENT",
            "MYSQL, HY000, 9999, UNKNOWN",
            "H2, HYT00, 50200, TRANSIENT",
            "H2, 23505, 23505, CONSTRAINT",
            "GENERIC, HYT00, 0, TIMEOUT",
            "GENERIC, 25S03, 0, CONNECTION",
            "GENERIC, 40001, 1213, TRANSIENT",
            "GENERIC, HY000, 1290, UNKNOWN",
            "SQLITE, , 517, UNKNOWN"})
    void decidesByVendorCodeThenSqlStateThenClass(Dialect dialect, String sqlState, int vendorCode, FaultKind kind) {
        SQLException e = new SQLException("text", sqlState, vendorCode);
        assertThat(Faults.forDialect(dialect).classify(e).kind()).isEqualTo(kind);
    }

    @Test
    void aGenericSqlStateWithAnIoCauseIsAConnectionFault() {
        SQLException e = new SQLException("socket error", "HY000", 0, new IOException("Connection reset"));
        assertThat(Faults.forDialect(Dialect.MYSQL).classify(e).kind()).isEqualTo(FaultKind.CONNECTION);
    }

    @Test
    void refusesTwoRulesForTheSameEvidence() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RuleTable(Dialect.GENERIC, List.of(
                        Rule.sqlState("40001", FaultKind.TRANSIENT, "a"),
                        Rule.sqlState("40001", FaultKind.UNKNOWN, "b"))))
                .withMessageContaining("two rules for SQLState 40001");
    }

    private static SQLException carrying(Rule.Match match) {
        if (match instanceof Rule.VendorCode v) {
            return new SQLException("evidence-free text", null, v.value());
        }
        if (match instanceof Rule.SqlState s) {
            return new SQLException("evidence-free text", s.value());
        }
        if (match instanceof Rule.SqlStateClass c) {
            return new SQLException("evidence-free text", c.value() + "ZZZ");
        }
        throw new AssertionError("tables hold no type rules: " + match.describe());
    }
}
