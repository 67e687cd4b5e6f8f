package dev.bulwark.core;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardBreakerTest {

    private final FakeTime time = new FakeTime();
    private final RecordingListener listener = new RecordingListener();

    private Guard guard(int maxAttempts) {
        BreakerConfig breaker = BreakerConfig.builder().withSlidingWindowSize(4).withMinimumCalls(4)
                .withFailureRateThreshold(50).withWaitInOpenState(Duration.ofSeconds(1)).build();
        BulwarkConfig config = BulwarkConfig.builder().withName("inventory").withBreaker(breaker)
                .withRetry(RetryConfig.builder().withMaxAttempts(maxAttempts).build()).build();
        return Guard.builder(config).withClassifier(new SqlStateClassifier()).withTicker(time).withSleeper(time)
                .withListener(listener).build();
    }

    private static Attempt<Void> failingWith(String sqlState, AtomicInteger calls) {
        return context -> {
            calls.incrementAndGet();
            throw new SQLException("failure", sqlState);
        };
    }

    @Test
    void constraintViolationsNeverOpenTheBreaker() {
        Guard guard = guard(1);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> guard.execute(failingWith("23505", calls))).hasFieldOrPropertyWithValue("SQLState", "23505");
        }
        assertThat(calls).hasValue(20);
        assertThat(guard.breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(listener.of(PolicyEvent.BreakerTransition.class)).isEmpty();
    }

    @Test
    void connectionFaultsOpenTheBreakerWhichThenRefusesWithoutCallingTheDatabase() {
        Guard guard = guard(1);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.execute(failingWith("08006", calls))).hasFieldOrPropertyWithValue("SQLState", "08006");
        }
        assertThat(guard.breakerState()).isEqualTo(BreakerState.OPEN);
        time.advance(Duration.ofMillis(300));

        assertThatThrownBy(() -> guard.execute(failingWith("08006", calls)))
                .isInstanceOf(CircuitOpenException.class)
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasFieldOrPropertyWithValue("SQLState", "08001")
                .hasMessageContaining("'inventory'")
                .hasMessageContaining("next probe in 700 ms")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty())
                .extracting(e -> ((CircuitOpenException) e).untilNextProbe()).isEqualTo(Duration.ofMillis(700));
        assertThat(calls).hasValue(4);
        assertThat(listener.of(PolicyEvent.BreakerTransition.class)).singleElement()
                .satisfies(e -> assertThat(e.to()).isEqualTo(BreakerState.OPEN));
        assertThat(listener.of(PolicyEvent.CallRejected.class)).singleElement()
                .satisfies(e -> assertThat(e.rejectedBy()).isEqualTo(PolicyEvent.RejectedBy.CIRCUIT_BREAKER))
                .satisfies(e -> assertThat((Throwable) e.rejection()).isInstanceOf(CircuitOpenException.class));
    }

    @Test
    void aBreakerRejectionEndsRetriesAtOnce() {
        Guard guard = guard(3);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> guard.execute(failingWith("08006", calls))).hasFieldOrPropertyWithValue("SQLState", "08006");
        assertThat(calls).hasValue(3);

        // The fourth counted failure opens the breaker; the retry that follows is refused and not retried.
        assertThatThrownBy(() -> guard.execute(failingWith("08006", calls)))
                .isInstanceOf(CircuitOpenException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .extracting(s -> ((SQLException) s).getSQLState()).isEqualTo("08006"));
        assertThat(calls).hasValue(4);
        assertThat(listener.of(PolicyEvent.RetryScheduled.class)).hasSize(3);
    }

    @Test
    void afterTheWaitAProbeIsLetThroughAndItsSuccessClosesTheBreaker() throws SQLException {
        Guard guard = guard(1);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.execute(failingWith("57P01", calls))).isInstanceOf(SQLException.class);
        }
        time.advance(Duration.ofMillis(1001));

        String probe = guard.execute(context -> "probe ok");
        assertThat(probe).isEqualTo("probe ok");

        assertThat(guard.breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(listener.of(PolicyEvent.BreakerTransition.class))
                .extracting(PolicyEvent.BreakerTransition::to)
                .containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() {
        Guard guard = guard(1);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.execute(failingWith("08006", calls))).isInstanceOf(SQLException.class);
        }
        time.advance(Duration.ofMillis(1001));
        assertThatThrownBy(() -> guard.execute(failingWith("08006", calls))).hasFieldOrPropertyWithValue("SQLState", "08006");

        assertThat(calls).hasValue(5);
        assertThat(guard.breakerState()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void aProbeEndingInARuntimeExceptionGivesItsSlotBack() throws SQLException {
        Guard guard = guard(1);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.execute(failingWith("08006", calls))).isInstanceOf(SQLException.class);
        }
        time.advance(Duration.ofMillis(1001));
        assertThatThrownBy(() -> guard.execute(context -> {
            throw new IllegalArgumentException("bug in the work");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(guard.breakerState()).isEqualTo(BreakerState.HALF_OPEN);

        String probe = guard.execute(context -> "second probe");
        assertThat(probe).isEqualTo("second probe");
        assertThat(guard.breakerState()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void aDisabledBreakerNeverRefuses() {
        BulwarkConfig config = BulwarkConfig.builder()
                .withBreaker(BreakerConfig.builder().withEnabled(false).withMinimumCalls(1).build())
                .withRetry(RetryConfig.builder().withMaxAttempts(1).build()).build();
        Guard guard = Guard.builder(config).withClassifier(new SqlStateClassifier()).withTicker(time).withSleeper(time)
                .build();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> guard.execute(failingWith("08006", calls))).hasFieldOrPropertyWithValue("SQLState", "08006");
        }
        assertThat(calls).hasValue(30);
        assertThat(guard.breakerState()).isEqualTo(BreakerState.DISABLED);
    }
}
