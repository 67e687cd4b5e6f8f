package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User rules come first, are tied to one classifier instance, and bad input is refused. */
class FaultClassifierBuilderTest {

    @Test
    void userRulesComeBeforeBuiltInRules() {
        FaultClassifier classifier = Faults.custom()
                .withDialect(Dialect.POSTGRESQL)
                .withRule(FaultRule.onSqlState("23505", FaultKind.TRANSIENT))
                .build();
        Fault fault = classifier.classify(new SQLException("duplicate", "23505"));
        assertThat(fault.kind()).isEqualTo(FaultKind.TRANSIENT);
        assertThat(fault.retryScope()).isEqualTo(RetryScope.UNIT);
        assertThat(fault.detail()).contains("user rule #1");
    }

    @Test
    void aUserRuleAnywhereInTheChainBeatsABuiltInRuleEarlierInIt() {
        FaultClassifier classifier = Faults.custom()
                .withRule(FaultRule.onException(IllegalStateException.class, FaultKind.RESOURCE))
                .build();
        SQLException top = new SQLException("serialization", "40001", new IllegalStateException("pool exhausted"));
        assertThat(classifier.classify(top).kind()).isEqualTo(FaultKind.RESOURCE);
    }

    @Test
    void matchesSqlStateClassesAndVendorCodes() {
        FaultClassifier classifier = Faults.custom()
                .withRule(FaultRule.onSqlStateClass("P0", FaultKind.TRANSIENT))
                .withRule(FaultRule.onVendorCode(1615, FaultKind.UNKNOWN))
                .build();
        assertThat(classifier.classify(new SQLException("raised", "P0001")).kind()).isEqualTo(FaultKind.TRANSIENT);
        assertThat(classifier.classify(new SQLException("reprepare", "HY000", 1615)).kind())
                .isEqualTo(FaultKind.UNKNOWN);
    }

    @Test
    void theFirstMatchingRuleInTheOrderGivenDecidesOneException() {
        FaultClassifier classifier = Faults.custom()
                .withRules(List.of(FaultRule.onVendorCode(42, FaultKind.PERMISSION),
                        FaultRule.onSqlState("40001", FaultKind.CORRUPTION)))
                .build();
        assertThat(classifier.classify(new SQLException("both", "40001", 42)).kind()).isEqualTo(FaultKind.PERMISSION);
    }

    @Test
    void rulesBelongToTheirClassifierOnly() {
        Faults.custom().withRule(FaultRule.onException(IOException.class, FaultKind.CORRUPTION)).build();
        assertThat(Faults.classify(new IOException("reset")).kind()).isEqualTo(FaultKind.CONNECTION);
    }

    @Test
    void aFixedDialectReadsVendorCodesOfExceptionsItCannotInfer() {
        SQLException readOnly = new SQLException("read-only", "HY000", 1290);
        assertThat(Faults.forDialect(Dialect.MYSQL).classify(readOnly).kind()).isEqualTo(FaultKind.READ_ONLY);
        assertThat(Faults.forDialect(Dialect.POSTGRESQL).classify(readOnly).kind()).isEqualTo(FaultKind.UNKNOWN);
    }

    @Test
    void refusesBadRules() {
        assertThatIllegalArgumentException().isThrownBy(() -> FaultRule.onSqlState("4001", FaultKind.TRANSIENT))
                .withMessageContaining("sqlState").withMessageContaining("'4001'");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultRule.onSqlState("40p01", FaultKind.TRANSIENT))
                .withMessageContaining("'40p01'");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultRule.onSqlStateClass("400", FaultKind.TRANSIENT))
                .withMessageContaining("sqlStateClass");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultRule.onVendorCode(0, FaultKind.TRANSIENT))
                .withMessageContaining("vendorCode");
        assertThatNullPointerException().isThrownBy(() -> FaultRule.onSqlState(null, FaultKind.TRANSIENT))
                .withMessage("sqlState");
        assertThatNullPointerException().isThrownBy(() -> FaultRule.onSqlState("40001", null))
                .withMessage("kind");
        assertThatNullPointerException().isThrownBy(() -> FaultRule.onException(null, FaultKind.TRANSIENT))
                .withMessage("type");
    }

    @Test
    void refusesBadBuilderInput() {
        FaultClassifierBuilder builder = Faults.custom();
        assertThatNullPointerException().isThrownBy(() -> builder.withDialect(null)).withMessage("dialect");
        assertThatNullPointerException().isThrownBy(() -> builder.withRule(null)).withMessage("rule");
        assertThatNullPointerException().isThrownBy(() -> builder.withRules(null)).withMessage("rules");
        assertThatNullPointerException()
                .isThrownBy(() -> builder.withRules(Arrays.asList(FaultRule.onVendorCode(7, FaultKind.UNKNOWN), null)))
                .withMessage("rules[1]");
        builder.withRule(FaultRule.onSqlState("40001", FaultKind.UNKNOWN));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.withRule(FaultRule.onSqlState("40001", FaultKind.TRANSIENT)))
                .withMessageContaining("can never decide").withMessageContaining("SQLState 40001");
    }

    @Test
    void theBuilderCanBeReusedWithoutChangingBuiltClassifiers() {
        FaultClassifierBuilder builder = Faults.custom();
        FaultClassifier before = builder.build();
        builder.withRule(FaultRule.onSqlState("23505", FaultKind.TRANSIENT));
        assertThat(before.classify(new SQLException("dup", "23505")).kind()).isEqualTo(FaultKind.CONSTRAINT);
        assertThat(builder.build().classify(new SQLException("dup", "23505")).kind()).isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void rulesDescribeThemselves() {
        assertThat(FaultRule.onSqlState("40001", FaultKind.TRANSIENT))
                .hasToString("FaultRule[SQLState 40001 -> TRANSIENT]")
                .isEqualTo(FaultRule.onSqlState("40001", FaultKind.TRANSIENT));
        assertThat(FaultRule.onVendorCode(1213, FaultKind.TRANSIENT).kind()).isEqualTo(FaultKind.TRANSIENT);
    }
}
