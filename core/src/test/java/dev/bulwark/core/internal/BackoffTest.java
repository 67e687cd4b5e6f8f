package dev.bulwark.core.internal;

import dev.bulwark.core.FaultKind;
import dev.bulwark.core.RetryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final Backoff backoff = new Backoff(RetryConfig.builder().withInitialBackoff(Duration.ofMillis(100))
            .withMaxBackoff(Duration.ofSeconds(3)).withBackoffMultiplier(2).withResourceBackoffMultiplier(4).build());

    @Test
    void boundGrowsExponentiallyUpToTheCap() {
        assertThat(backoff.boundNanos(1, FaultKind.TRANSIENT)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(backoff.boundNanos(2, FaultKind.TRANSIENT)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(backoff.boundNanos(5, FaultKind.CONNECTION)).isEqualTo(Duration.ofMillis(1600).toNanos());
        assertThat(backoff.boundNanos(6, FaultKind.CONNECTION)).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(backoff.boundNanos(100, FaultKind.CONNECTION)).isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void resourceFaultsBackOffLongerWithinTheSameCap() {
        assertThat(backoff.boundNanos(1, FaultKind.RESOURCE)).isEqualTo(Duration.ofMillis(400).toNanos());
        assertThat(backoff.boundNanos(3, FaultKind.RESOURCE)).isEqualTo(Duration.ofMillis(1600).toNanos());
        assertThat(backoff.boundNanos(4, FaultKind.RESOURCE)).isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void fullJitterSpreadsDelaysOverTheWholeRange() {
        Random random = new Random(7);
        long bound = backoff.boundNanos(3, FaultKind.TRANSIENT);
        long below = 0;
        long above = 0;
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.delay(3, FaultKind.TRANSIENT, random).toNanos();
            assertThat(delay).isBetween(0L, bound);
            if (delay < bound / 4) {
                below++;
            } else if (delay > bound * 3 / 4) {
                above++;
            }
        }
        assertThat(below).isGreaterThan(150);
        assertThat(above).isGreaterThan(150);
    }
}
