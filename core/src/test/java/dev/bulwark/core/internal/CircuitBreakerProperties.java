package dev.bulwark.core.internal;

import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BreakerState;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.RetryScope;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerProperties {

    /** One step: a call with an outcome, or the clock moving on. */
    sealed interface Step permits Call, Advance {
    }

    record Call(FaultKind outcome) implements Step {
    }

    record Advance(long millis) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return step().list().ofMaxSize(200);
    }

    private Arbitrary<Step> step() {
        Arbitrary<Step> success = Arbitraries.just(new Call(null));
        Arbitrary<Step> counting = Arbitraries.of(FaultKind.CONNECTION, FaultKind.TIMEOUT, FaultKind.RESOURCE)
                .map(Call::new);
        Arbitrary<Step> notCounting = Arbitraries.of(FaultKind.CONSTRAINT, FaultKind.PROGRAMMING, FaultKind.TRANSIENT)
                .map(Call::new);
        Arbitrary<Step> advance = Arbitraries.longs().between(0, 1_500).map(Advance::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, success), net.jqwik.api.Tuple.of(4, counting),
                net.jqwik.api.Tuple.of(2, notCounting), net.jqwik.api.Tuple.of(2, advance));
    }

    @Property(tries = 300)
    void breakerStateMatchesTheModel(@ForAll @IntRange(min = 1, max = 10) int windowSize,
                                     @ForAll @IntRange(min = 1, max = 10) int minimumCalls,
                                     @ForAll @IntRange(min = 1, max = 100) int threshold,
                                     @ForAll @IntRange(min = 1, max = 1_000) int waitMillis,
                                     @ForAll @IntRange(min = 1, max = 4) int permittedInHalfOpen,
                                     @ForAll("steps") List<Step> steps) {
        int minimum = Math.min(minimumCalls, windowSize);
        AtomicLong now = new AtomicLong(5_000_000_000L);
        BreakerConfig config = BreakerConfig.builder().withSlidingWindowSize(windowSize).withMinimumCalls(minimum)
                .withFailureRateThreshold(threshold).withWaitInOpenState(Duration.ofMillis(waitMillis))
                .withPermittedCallsInHalfOpen(permittedInHalfOpen).build();
        BreakerPolicy breaker = new BreakerPolicy("model", config, now::get, new EventDispatcher("model", List.of()));
        BreakerModel model = new BreakerModel(windowSize, minimum, threshold,
                Duration.ofMillis(waitMillis).toNanos(), permittedInHalfOpen);

        for (Step step : steps) {
            if (step instanceof Advance advance) {
                now.addAndGet(Duration.ofMillis(advance.millis()).toNanos());
            } else if (step instanceof Call call) {
                boolean permitted = model.permits(now.get());
                assertThat(breaker.tryAcquire()).as("permission at %s", step).isEqualTo(permitted);
                if (!permitted) {
                    CircuitOpenException rejection = breaker.rejection();
                    assertThat(rejection.untilNextProbe()).isEqualTo(Duration.ofNanos(model.untilProbe(now.get())));
                } else if (call.outcome() == null) {
                    breaker.onSuccess();
                    model.record(false, now.get());
                } else {
                    SQLException failure = new SQLException("fault", "XX000");
                    breaker.onFault(new Fault(call.outcome(), "XX000", 0, RetryScope.NONE, false, "m", "r", "d",
                            failure), failure);
                    model.record(call.outcome().countsTowardBreaker(), now.get());
                }
            }
            BreakerState expected = model.state();
            assertThat(breaker.state()).as("state after %s", step).isEqualTo(expected);
        }
    }
}
