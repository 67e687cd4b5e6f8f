package dev.bulwark.core;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardTest {

    private final FakeTime time = new FakeTime();
    private final RecordingListener listener = new RecordingListener();

    private Guard guard(BulwarkConfig config) {
        return Guard.builder(config).withClassifier(new SqlStateClassifier()).withTicker(time).withSleeper(time)
                .withRandom(new Random(42)).withListener(listener).build();
    }

    private static BulwarkConfig.Builder config() {
        return BulwarkConfig.builder().withName("orders");
    }

    private static Attempt<String> failing(AtomicInteger calls, String... states) {
        return context -> {
            int n = calls.incrementAndGet();
            if (n <= states.length) {
                throw new SQLException("attempt " + n, states[n - 1]);
            }
            return "ok after " + n;
        };
    }

    @Test
    void retriesTransientFaultsUntilSuccess() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        String result = guard(config().build()).execute(failing(calls, "40001", "08006"));

        assertThat(result).isEqualTo("ok after 3");
        List<PolicyEvent.RetryScheduled> retries = listener.of(PolicyEvent.RetryScheduled.class);
        assertThat(retries).extracting(PolicyEvent.RetryScheduled::attempt).containsExactly(1, 2);
        assertThat(retries).extracting(e -> e.fault().kind()).containsExactly(FaultKind.TRANSIENT, FaultKind.CONNECTION);
        assertThat(time.sleeps).containsExactlyElementsOf(retries.stream().map(PolicyEvent.RetryScheduled::delay).toList());
        assertThat(listener.of(PolicyEvent.SucceededAfterRetries.class)).singleElement()
                .satisfies(e -> assertThat(e.attempts()).isEqualTo(3));
    }

    @Test
    void throwsTheLastFailureWithEarlierAttemptsSuppressed() {
        AtomicInteger calls = new AtomicInteger();
        List<SQLException> thrown = new ArrayList<>();
        Attempt<String> attempt = context -> {
            SQLException e = new SQLTransactionRollbackException("attempt " + calls.incrementAndGet(), "40001");
            thrown.add(e);
            throw e;
        };

        assertThatThrownBy(() -> guard(config().build()).execute(attempt))
                .isSameAs(thrown.get(2))
                .hasFieldOrPropertyWithValue("SQLState", "40001")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(thrown.get(0), thrown.get(1)));
        assertThat(listener.of(PolicyEvent.RetriesExhausted.class)).singleElement()
                .satisfies(e -> assertThat(e.limit()).isEqualTo(PolicyEvent.RetryLimit.ATTEMPTS));
    }

    @Test
    void doesNotRetryConstraintViolations() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> guard(config().build()).execute(failing(calls, "23505")))
                .hasFieldOrPropertyWithValue("SQLState", "23505");
        assertThat(calls).hasValue(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void doesNotRetryAfterAmbiguousCommit() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> guard(config().build()).execute(failing(calls, "08007")))
                .hasFieldOrPropertyWithValue("SQLState", "08007");
        assertThat(calls).hasValue(1);
    }

    @Test
    void runsOnceWhenTheCallForbidsRetry() {
        AtomicInteger calls = new AtomicInteger();
        CallOptions write = CallOptions.defaults().withRetryAllowed(false);
        assertThatThrownBy(() -> guard(config().build()).execute(write, failing(calls, "08006")))
                .hasFieldOrPropertyWithValue("SQLState", "08006");
        assertThat(calls).hasValue(1);
        assertThat(listener.events).isEmpty();
    }

    @Test
    void honoursThePerCallMaximumOfAttempts() {
        AtomicInteger calls = new AtomicInteger();
        CallOptions options = CallOptions.defaults().withMaxAttempts(5).withOperation("unit");
        assertThatThrownBy(() -> guard(config().build())
                .execute(options, failing(calls, "40001", "40001", "40001", "40001", "40001", "40001")))
                .isInstanceOf(SQLException.class);
        assertThat(calls).hasValue(5);
        assertThat(listener.of(PolicyEvent.RetryScheduled.class)).allMatch(e -> e.operation().equals("unit"));
    }

    @Test
    void deadlineStopsRetriesBeforeABackoffThatWouldNotFit() {
        RetryConfig retry = RetryConfig.builder().withMaxAttempts(100).withInitialBackoff(Duration.ofMillis(100))
                .withMaxBackoff(Duration.ofMillis(400)).build();
        Guard guard = guard(config().withRetry(retry).build());
        AtomicInteger calls = new AtomicInteger();
        CallOptions options = CallOptions.defaults().withDeadline(Duration.ofSeconds(1));

        assertThatThrownBy(() -> guard.execute(options, context -> {
            calls.incrementAndGet();
            time.advance(Duration.ofMillis(50));
            throw new SQLException("busy", "40001");
        })).hasFieldOrPropertyWithValue("SQLState", "40001");

        assertThat(calls.get()).isBetween(2, 99);
        // Every attempt, the last included, started before the deadline: no backoff slept past it.
        assertThat(time.slept().plusMillis(50L * (calls.get() - 1))).isLessThan(Duration.ofSeconds(1));
        assertThat(listener.of(PolicyEvent.RetriesExhausted.class)).singleElement()
                .satisfies(e -> assertThat(e.limit()).isEqualTo(PolicyEvent.RetryLimit.DEADLINE));
    }

    @Test
    void eachAttemptSeesItsNumberAndTheRemainingDeadline() throws SQLException {
        List<Duration> remaining = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        CallOptions options = CallOptions.defaults().withDeadline(Duration.ofSeconds(10));
        guard(config().build()).execute(options, context -> {
            remaining.add(context.remaining());
            attempts.add(context.attempt());
            time.advance(Duration.ofSeconds(1));
            if (context.attempt() == 1) {
                assertThat(context.previousFault()).isEmpty();
                throw new SQLException("lost", "08006");
            }
            assertThat(context.previousFault()).get().extracting(Fault::kind).isEqualTo(FaultKind.CONNECTION);
            return null;
        });
        assertThat(attempts).containsExactly(1, 2);
        assertThat(remaining.get(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(remaining.get(1)).isEqualTo(Duration.ofSeconds(9).minus(time.slept()));
    }

    @Test
    void retryBudgetExhaustionStopsRetries() {
        RetryConfig retry = RetryConfig.builder().withBudgetRatio(0.0).withBudgetMinRetries(1).build();
        Guard guard = guard(config().withRetry(retry).build());
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> guard.execute(context -> {
            calls.incrementAndGet();
            throw new SQLException("down", "08001");
        })).hasFieldOrPropertyWithValue("SQLState", "08001");

        assertThat(calls).hasValue(2);
        assertThat(listener.of(PolicyEvent.RetryBudgetExhausted.class)).singleElement()
                .satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
    }

    @Test
    void transientConflictsAreBoundedByAttemptsNotByTheRetryBudget() throws SQLException {
        RetryConfig retry = RetryConfig.builder().withMaxAttempts(4).withBudgetRatio(0.0).withBudgetMinRetries(1)
                .build();
        Guard guard = guard(config().withRetry(retry).build());
        AtomicInteger calls = new AtomicInteger();

        String result = guard.execute(context -> {
            if (calls.incrementAndGet() < 4) {
                throw new SQLException("could not serialize access", "40001");
            }
            return "committed";
        });

        assertThat(result).isEqualTo("committed");
        assertThat(calls).hasValue(4);
        assertThat(listener.of(PolicyEvent.RetryBudgetExhausted.class)).isEmpty();
    }

    @Test
    void runtimeExceptionsPropagateUnchangedAndAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException bug = new IllegalStateException("bug in the work");
        assertThatThrownBy(() -> guard(config().build()).execute(context -> {
            if (calls.incrementAndGet() == 1) {
                throw new SQLException("lost", "08006");
            }
            throw bug;
        })).isSameAs(bug).satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(calls).hasValue(2);
    }

    @Test
    void aThrowingListenerDoesNotBreakTheCall() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        Guard guard = Guard.builder(config().build()).withClassifier(new SqlStateClassifier()).withTicker(time)
                .withSleeper(time).withListener(event -> {
                    throw new IllegalStateException("listener bug");
                }).withListener(listener).build();

        assertThat(guard.execute(failing(calls, "40001"))).isEqualTo("ok after 2");
        assertThat(listener.of(PolicyEvent.RetryScheduled.class)).hasSize(1);
    }

    @Test
    void aThrowingClassifierMakesTheFailureUnknownAndNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        Guard guard = Guard.builder(config().build()).withTicker(time).withSleeper(time)
                .withClassifier(failure -> {
                    throw new UnsupportedOperationException("not yet");
                }).build();
        assertThatThrownBy(() -> guard.execute(failing(calls, "40001"))).hasFieldOrPropertyWithValue("SQLState", "40001");
        assertThat(calls).hasValue(1);
    }

    @Test
    void anInterruptDuringBackoffEndsTheCallAndKeepsTheFlag() {
        Guard guard = Guard.builder(config().build()).withClassifier(new SqlStateClassifier()).withTicker(time)
                .withSleeper(duration -> {
                    throw new InterruptedException();
                }).build();
        AtomicInteger calls = new AtomicInteger();
        try {
            assertThatThrownBy(() -> guard.execute(failing(calls, "40001"))).hasFieldOrPropertyWithValue("SQLState", "40001");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(calls).hasValue(1);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void bulkheadRefusesACallOverTheLimitAtOnceWithoutRetry() throws SQLException {
        Guard guard = guard(config().withBulkhead(ConcurrencyConfig.builder().withMaxConcurrent(1).build()).build());
        AtomicInteger inner = new AtomicInteger();

        String outer = guard.execute(context -> {
            assertThatThrownBy(() -> guard.execute(c -> inner.incrementAndGet()))
                    .isInstanceOf(BulkheadFullException.class)
                    .isInstanceOf(Rejection.class)
                    .hasFieldOrPropertyWithValue("SQLState", "53400")
                    .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
            return "outer done";
        });

        assertThat(outer).isEqualTo("outer done");
        assertThat(inner).hasValue(0);
        assertThat(listener.of(PolicyEvent.CallRejected.class)).singleElement()
                .satisfies(e -> assertThat(e.rejectedBy()).isEqualTo(PolicyEvent.RejectedBy.BULKHEAD));
        Integer after = guard.execute(c -> inner.incrementAndGet());
        assertThat(after).isEqualTo(1);
    }
}
