package dev.bulwark.core.internal;

import dev.bulwark.core.RetryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static RetryBudget budget(double ratio, int minRetries) {
        return new RetryBudget(RetryConfig.builder().withBudgetRatio(ratio).withBudgetMinRetries(minRetries)
                .withBudgetWindow(Duration.ofSeconds(10)).build());
    }

    @Test
    void theMinimumAllowsRetriesWithoutTraffic() {
        RetryBudget budget = budget(0.2, 3);
        budget.recordCall(0);
        assertThat(budget.tryAcquireRetry(0)).isTrue();
        assertThat(budget.tryAcquireRetry(0)).isTrue();
        assertThat(budget.tryAcquireRetry(0)).isTrue();
        assertThat(budget.tryAcquireRetry(0)).isFalse();
    }

    @Test
    void retriesStayWithinTheRatioOfCallsInTheWindow() {
        RetryBudget budget = budget(0.2, 0);
        for (int i = 0; i < 100; i++) {
            budget.recordCall(i * 10_000_000L);
        }
        int granted = 0;
        while (budget.tryAcquireRetry(SECOND)) {
            granted++;
        }
        assertThat(granted).isEqualTo(20);
    }

    @Test
    void theBudgetRefillsAsTheWindowSlides() {
        RetryBudget budget = budget(0.0, 2);
        assertThat(budget.tryAcquireRetry(0)).isTrue();
        assertThat(budget.tryAcquireRetry(0)).isTrue();
        assertThat(budget.tryAcquireRetry(5 * SECOND)).isFalse();
        assertThat(budget.tryAcquireRetry(11 * SECOND)).isTrue();
    }
}
