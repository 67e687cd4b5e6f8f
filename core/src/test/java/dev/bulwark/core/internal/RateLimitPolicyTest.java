package dev.bulwark.core.internal;

import dev.bulwark.core.RateLimitedException;
import dev.bulwark.core.Rejection;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitPolicyTest {

    @Test
    void refusesAttemptsOverTheLimitOfThePeriodAtOnce() {
        // A period of an hour: the test cannot cross a refresh, so the outcome does not depend on timing.
        RateLimitPolicy policy = new RateLimitPolicy("reports", 2, Duration.ofHours(1));
        assertThat(policy.tryAcquire()).isTrue();
        assertThat(policy.tryAcquire()).isTrue();
        assertThat(policy.tryAcquire()).isFalse();

        RateLimitedException rejection = policy.rejection();
        assertThat((Throwable) rejection).isInstanceOf(SQLTransientException.class).isInstanceOf(Rejection.class);
        assertThat(rejection.getSQLState()).isEqualTo("53400");
        assertThat(rejection.policyName()).isEqualTo("reports");
        assertThat(rejection.getMessage()).contains("'reports'", "limit 2");
        assertThat(rejection.getStackTrace()).isEmpty();
    }
}
