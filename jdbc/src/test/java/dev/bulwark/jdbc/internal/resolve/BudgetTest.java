package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void roundsQueryTimeoutUpToWholeSecondsAndNeverBelowOne() {
        Budget budget = Budget.start(Duration.ofMillis(2_100), Duration.ofMillis(500), nanos::get);

        assertThat(budget.queryTimeoutSeconds()).isEqualTo(3);
        nanos.addAndGet(Duration.ofMillis(2_050).toNanos());
        assertThat(budget.queryTimeoutSeconds()).isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(budget.queryTimeoutSeconds()).isEqualTo(1);
    }

    @Test
    void isSpentAtTheDeadlineAndNoPauseRunsPastIt() {
        Budget budget = Budget.start(Duration.ofSeconds(1), Duration.ofMillis(500), nanos::get);
        assertThat(budget.spent()).isFalse();

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(budget.spent()).isTrue();
        assertThat(budget.remaining()).isEqualTo(Duration.ZERO);
        assertThat(budget.pause()).isFalse();
    }

    @Test
    void refusesNegativeBudget() {
        assertThatThrownBy(() -> Budget.start(Duration.ofMillis(-1), Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.001S");
    }
}
