package dev.bulwark.core;

import dev.bulwark.core.internal.Backoff;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffProperties {

    private static RetryConfig retry(long initialMillis, long capMillis, double multiplier, double resource) {
        return RetryConfig.builder().withMaxAttempts(100).withInitialBackoff(Duration.ofMillis(initialMillis))
                .withMaxBackoff(Duration.ofMillis(Math.max(initialMillis, capMillis))).withBackoffMultiplier(multiplier)
                .withResourceBackoffMultiplier(resource).withBudgetMinRetries(1_000_000).build();
    }

    @Property
    void everyDelayIsWithinZeroAndTheCap(@ForAll @LongRange(min = 1, max = 5_000) long initialMillis,
                                         @ForAll @LongRange(min = 1, max = 60_000) long capMillis,
                                         @ForAll @DoubleRange(min = 1, max = 10) double multiplier,
                                         @ForAll @DoubleRange(min = 1, max = 100) double resourceMultiplier,
                                         @ForAll @IntRange(min = 1, max = 100) int failedAttempt,
                                         @ForAll FaultKind kind, @ForAll long seed) {
        RetryConfig config = retry(initialMillis, capMillis, multiplier, resourceMultiplier);
        Backoff backoff = new Backoff(config);
        Duration delay = backoff.delay(failedAttempt, kind, new Random(seed));
        assertThat(delay).isBetween(Duration.ZERO, config.maxBackoff());
        assertThat(delay.toNanos()).isLessThanOrEqualTo(backoff.boundNanos(failedAttempt, kind));
    }

    @Property(tries = 200)
    void theSumOfDelaysNeverExceedsTheDeadline(@ForAll @LongRange(min = 1, max = 1_000) long initialMillis,
                                               @ForAll @LongRange(min = 1, max = 5_000) long capMillis,
                                               @ForAll @DoubleRange(min = 1, max = 4) double multiplier,
                                               @ForAll @LongRange(min = 1, max = 20_000) long deadlineMillis,
                                               @ForAll @LongRange(min = 0, max = 500) long attemptMillis,
                                               @ForAll boolean resource, @ForAll long seed) {
        FakeTime time = new FakeTime();
        BulwarkConfig config = BulwarkConfig.builder().withRetry(retry(initialMillis, capMillis, multiplier, 4))
                .withBreaker(BreakerConfig.builder().withEnabled(false).build()).build();
        Guard guard = Guard.builder(config).withClassifier(new SqlStateClassifier()).withTicker(time)
                .withSleeper(time).withRandom(new Random(seed)).build();
        AtomicInteger attempts = new AtomicInteger();
        Duration deadline = Duration.ofMillis(deadlineMillis);

        assertThatThrownBy(() -> guard.execute(CallOptions.defaults().withDeadline(deadline), context -> {
            attempts.incrementAndGet();
            time.advance(Duration.ofMillis(attemptMillis));
            throw new SQLException("always failing", resource ? "53300" : "40001");
        })).isInstanceOf(SQLException.class);

        assertThat(time.slept()).isLessThanOrEqualTo(deadline);
        // The last attempt started before the deadline: no backoff ever slept past it.
        assertThat(time.slept().plusMillis(attemptMillis * (attempts.get() - 1))).isLessThan(deadline);
    }
}
