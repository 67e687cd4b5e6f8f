package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BreakerState;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.RetryScope;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BreakerRejectionTest {

    /** Seen on a Patroni failover: "Circuit breaker is CLOSED: call refused", read after a probe closed it. */
    @Test
    void aCallRefusedWhileAProbeRanNeverSaysTheBreakerIsClosed() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        BreakerConfig config = BreakerConfig.builder().withSlidingWindowSize(2).withMinimumCalls(2)
                .withWaitInOpenState(Duration.ofMillis(100)).withPermittedCallsInHalfOpen(1).build();
        BreakerPolicy breaker = new BreakerPolicy("db", config, now::get, new EventDispatcher("db", List.of()));
        SQLException down = new SQLException("down", "08006");
        Fault fault = new Fault(FaultKind.CONNECTION, "08006", 0, RetryScope.NONE, false, "m", "r", "d", down);
        for (int i = 0; i < 2; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFault(fault, down);
        }
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        now.addAndGet(Duration.ofMillis(150).toNanos());

        assertThat(breaker.tryAcquire()).as("the probe").isTrue();
        assertThat(breaker.tryAcquire()).as("a call while the probe runs").isFalse();
        breaker.onSuccess(); // the probe succeeds and closes the breaker before the refusal is described
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);

        CircuitOpenException refusal = breaker.rejection();
        assertThat(refusal.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(refusal.getMessage()).doesNotContain("CLOSED").contains("a probe call is in progress");
    }

    /** Patroni through HAProxy: a probe stuck on the old leader must not keep callers off the new one. */
    @Test
    void aStuckProbeHoldsOtherCallsBackForOneWaitNotForItsWholeDeadline() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        BreakerConfig config = BreakerConfig.builder().withSlidingWindowSize(2).withMinimumCalls(2)
                .withWaitInOpenState(Duration.ofMillis(100)).withPermittedCallsInHalfOpen(1).build();
        BreakerPolicy breaker = new BreakerPolicy("db", config, now::get, new EventDispatcher("db", List.of()));
        SQLException down = new SQLException("down", "08006");
        Fault fault = new Fault(FaultKind.CONNECTION, "08006", 0, RetryScope.NONE, false, "m", "r", "d", down);
        for (int i = 0; i < 2; i++) {
            breaker.acquire();
            breaker.onFault(fault, down);
        }
        now.addAndGet(Duration.ofMillis(150).toNanos());
        assertThat(breaker.acquire()).as("the probe, which then hangs").isEqualTo(BreakerPolicy.PERMITTED);
        now.addAndGet(Duration.ofMillis(50).toNanos());
        assertThat(breaker.acquire()).as("50 ms into the probe").isEqualTo(BreakerPolicy.REFUSED);
        now.addAndGet(Duration.ofMillis(60).toNanos());
        assertThat(breaker.acquire()).as("one wait into the probe").isEqualTo(BreakerPolicy.EXTRA_PROBE);
        assertThat(breaker.acquire()).as("only one extra probe per wait").isEqualTo(BreakerPolicy.REFUSED);

        breaker.onSuccess(); // the extra probe reaches the new leader
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breaker.acquire()).isEqualTo(BreakerPolicy.PERMITTED);
        breaker.release(BreakerPolicy.PERMITTED);
    }

    @Test
    void anExtraProbeThatFailsOpensTheBreakerAgain() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        BreakerConfig config = BreakerConfig.builder().withSlidingWindowSize(2).withMinimumCalls(2)
                .withWaitInOpenState(Duration.ofMillis(100)).withPermittedCallsInHalfOpen(1).build();
        BreakerPolicy breaker = new BreakerPolicy("db", config, now::get, new EventDispatcher("db", List.of()));
        SQLException down = new SQLException("down", "08006");
        Fault fault = new Fault(FaultKind.CONNECTION, "08006", 0, RetryScope.NONE, false, "m", "r", "d", down);
        for (int i = 0; i < 2; i++) {
            breaker.acquire();
            breaker.onFault(fault, down);
        }
        now.addAndGet(Duration.ofMillis(150).toNanos());
        assertThat(breaker.acquire()).isEqualTo(BreakerPolicy.PERMITTED);
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(breaker.acquire()).isEqualTo(BreakerPolicy.EXTRA_PROBE);
        breaker.onFault(fault, down);
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.acquire()).as("open again: refused until the next wait").isEqualTo(BreakerPolicy.REFUSED);
    }
}
