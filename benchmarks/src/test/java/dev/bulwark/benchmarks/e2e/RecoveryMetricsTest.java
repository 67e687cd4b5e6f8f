package dev.bulwark.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bulwark.benchmarks.e2e.ClientLoad.CallRecord;
import dev.bulwark.benchmarks.e2e.RecoveryMetrics.Moments;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recovery figures follow their definitions on a hand-made call log (times in ms, as nanos). */
class RecoveryMetricsTest {

    private static final long MS = 1_000_000L;

    private static CallRecord ok(long startMs, long endMs) {
        return new CallRecord(startMs * MS, endMs * MS, true, null);
    }

    private static CallRecord failed(long startMs, long endMs, String state) {
        return new CallRecord(startMs * MS, endMs * MS, false, state);
    }

    @Test
    void figuresFollowTheirDefinitions() {
        // fault at 1000 ms, down at 1010, back at 2000; the baseline is the 1000 ms before the fault
        Moments m = new Moments(1000 * MS, 1010 * MS, 2000 * MS);
        List<CallRecord> calls = List.of(
                ok(100, 110), ok(500, 510), ok(900, 990),     // before: 3 in the baseline second
                failed(995, 1030, "57P01"),                   // first failure 30 ms after the fault
                failed(1040, 4040, "08006"),                  // the worst call: 3000 ms, over a 2000 ms deadline
                ok(1500, 2050),                               // first success after down: 50 ms after the return
                ok(2100, 2200),                               // in the window (ends before 3000)
                ok(2900, 3100));                              // after the window
        RecoveryMetrics r = RecoveryMetrics.of(calls, m, 1000 * MS, 2000 * MS);

        assertThat(r.firstFailureMs()).isCloseTo(30, within(1e-9));
        assertThat(r.failedCalls()).isEqualTo(2);
        assertThat(r.calls()).isEqualTo(5);
        assertThat(r.worstStallMs()).isCloseTo(3000, within(1e-9));
        assertThat(r.overDeadline()).isEqualTo(1);
        assertThat(r.firstSuccessMs()).isCloseTo(50, within(1e-9));
        assertThat(r.longestGapMs()).isCloseTo(2050 - 990, within(1e-9));
        assertThat(r.outageMs()).isCloseTo(1000, within(1e-9));
        assertThat(r.tpsBefore()).isCloseTo(3, within(1e-9));
        assertThat(r.tpsWindow()).isCloseTo(1, within(1e-9)); // 2 successes in the 2 s window
        assertThat(r.errors()).isEqualTo("08006:1 57P01:1");
    }

    @Test
    void eventsThatNeverHappenAreNaNAndTheGapRunsToTheEnd() {
        Moments m = new Moments(1000 * MS, 1000 * MS, 1500 * MS);
        List<CallRecord> calls = List.of(ok(800, 900), failed(1100, 5000, "in-flight"));
        RecoveryMetrics r = RecoveryMetrics.of(calls, m, 1000 * MS, 2000 * MS);

        assertThat(r.firstSuccessMs()).isNaN();
        assertThat(r.longestGapMs()).isCloseTo(4100, within(1e-9));
        assertThat(r.tpsWindow()).isZero();
        assertThat(r.windowRatio()).isZero();
    }
}
