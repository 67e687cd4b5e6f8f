package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {

    @Test
    void rejectsBadSelectorsNamingTheValue() {
        assertThatThrownBy(() -> ChaosRule.atCommit().withRate(0)).hasMessageContaining("withRate").hasMessageContaining("0.0");
        assertThatThrownBy(() -> ChaosRule.atCommit().withRate(1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> ChaosRule.atExecute().withCall(0)).hasMessageContaining("withCall(n) needs n >= 1, was 0");
        assertThatThrownBy(() -> ChaosRule.atExecute().withEvery(-2)).hasMessageContaining("was -2");
        assertThatThrownBy(() -> ChaosRule.atExecute().withCall(3).withEvery(2)).hasMessageContaining("exclude");
        assertThatThrownBy(() -> ChaosRule.atExecute().withLimit(0)).hasMessageContaining("withLimit");
        assertThatThrownBy(() -> ChaosRule.atExecute().withSqlMatching("(unclosed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/(unclosed/");
        assertThatThrownBy(() -> ChaosRule.atCommit().withSqlMatching("x")).hasMessageContaining("only at EXECUTE");
        assertThatThrownBy(() -> ChaosRule.atCommit().withWindow(Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .hasMessageContaining("end must be after start");
        assertThatThrownBy(() -> ChaosRule.atCommit().withWindow(Duration.ofSeconds(-1), Duration.ofSeconds(2)))
                .hasMessageContaining("negative");
    }

    @Test
    void rejectsActionsThatCannotApplyAtThePoint() {
        assertThatThrownBy(() -> ChaosRule.atAcquire().loseAcknowledgement()).hasMessageContaining("not ACQUIRE");
        assertThatThrownBy(() -> ChaosRule.atExecute().delay(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> ChaosRule.atExecute().fail("4000")).hasMessageContaining("'4000'");
        assertThatThrownBy(() -> ChaosRule.atExecute().fail("4000a")).hasMessageContaining("[0-9A-Z]");
        assertThatThrownBy(() -> ChaosPlan.builder().on(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void errorTypeIsDerivedFromTheSqlStateClassUnlessChosen() {
        assertThat(raised(ChaosError.of("40001"))).isInstanceOf(SQLTransactionRollbackException.class);
        assertThat(raised(ChaosError.of("08006"))).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(raised(ChaosError.of("42601"))).isInstanceOf(SQLSyntaxErrorException.class);
        assertThat(raised(ChaosError.of("HYT00"))).isInstanceOf(SQLTimeoutException.class);
        assertThat(raised(ChaosError.of("57P01")).getClass()).isEqualTo(SQLException.class);
        SQLException chosen = ChaosError.of("08006").withType(ChaosError.Type.NON_TRANSIENT_CONNECTION)
                .withVendorCode(17).withMessage("gone").toException("p: ");
        assertThat((Throwable) chosen).isInstanceOf(SQLNonTransientConnectionException.class).hasMessage("p: gone");
        assertThat(chosen.getErrorCode()).isEqualTo(17);
        assertThat(chosen.getSQLState()).isEqualTo("08006");
    }

    private static Throwable raised(ChaosError error) {
        return error.toException("");
    }

    @Test
    void planKeepsSeedAndRulesInOrderAndDescribesThem() {
        ChaosRule first = ChaosRule.atExecute().withSqlMatching("(?i)insert").withCall(3).fail("40001");
        ChaosRule second = ChaosRule.atCommit().withRate(0.05).withLimit(2).loseAcknowledgement();
        ChaosPlan plan = ChaosPlan.builder().withSeed(42).on(first).on(second).build();
        assertThat(plan.seed()).isEqualTo(42);
        assertThat(plan.rules()).containsExactly(first, second);
        assertThatThrownBy(() -> plan.rules().add(first)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(first).hasToString("EXECUTE call=3 sql~/(?i)insert/ -> fail 40001");
        assertThat(second).hasToString("COMMIT rate=0.05 limit=2 -> lose acknowledgement");
        assertThat(ChaosPlan.none().rules()).isEmpty();
    }
}
