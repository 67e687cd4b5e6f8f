package dev.bulwark.benchmarks.e2e;

import dev.bulwark.benchmarks.e2e.ClientLoad.CallRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one fault did to one stack's clients, from their call records and the fault's moments.
 * Times are milliseconds; {@code NaN} where the event did not happen (no failure, no success after the
 * database's return within the run).
 *
 * @param firstFailureMs from the fault to the end of the first failed call
 * @param failedCalls calls that failed (ended after the fault)
 * @param calls calls that ended after the fault
 * @param worstStallMs the longest single call that ended after the fault
 * @param overDeadline calls that ended after the fault and took longer than the unit deadline
 * @param firstSuccessMs from the database's return to the end of the first successful call after the
 *     database went down; negative when a client succeeded before the return was observed
 * @param longestGapMs the longest time without any successful call, around the fault
 * @param outageMs from the fault to the database's return
 * @param tpsBefore successful calls per second in the seconds before the fault
 * @param tpsWindow successful calls per second from the fault to one second after the database's return
 * @param errors failed calls per SQLState, e.g. {@code 08006:12 57P01:4}
 */
record RecoveryMetrics(double firstFailureMs, int failedCalls, int calls, double worstStallMs, int overDeadline,
                       double firstSuccessMs, double longestGapMs, double outageMs, double tpsBefore,
                       double tpsWindow, String errors) {

    /** The moments of one fault, {@link System#nanoTime()}: injected, database down, database back. */
    record Moments(long faultNanos, long downNanos, long returnNanos) {
    }

    /**
     * The figures of {@code calls} (in any order) around the moments {@code m}; throughput before the fault
     * over the {@code baselineNanos} before it; calls over {@code deadlineNanos} counted.
     */
    static RecoveryMetrics of(List<CallRecord> unordered, Moments m, long baselineNanos, long deadlineNanos) {
        List<CallRecord> calls = unordered.stream().sorted(Comparator.comparingLong(CallRecord::endNanos)).toList();
        double firstFailure = Double.NaN;
        int failed = 0;
        int after = 0;
        long worst = 0;
        int overDeadline = 0;
        double firstSuccess = Double.NaN;
        int okBefore = 0;
        int okWindow = 0;
        long windowEnd = m.returnNanos() + 1_000_000_000L;
        long lastOk = Long.MIN_VALUE;
        long longestGap = 0;
        Map<String, Integer> errors = new TreeMap<>();
        for (CallRecord c : calls) { // ordered by end
            long end = c.endNanos();
            if (c.ok()) {
                if (end < m.faultNanos() && end >= m.faultNanos() - baselineNanos) {
                    okBefore++;
                }
                if (end >= m.faultNanos() && end < windowEnd) {
                    okWindow++;
                }
                if (end > m.downNanos() && Double.isNaN(firstSuccess)) {
                    firstSuccess = ms(end - m.returnNanos());
                }
                if (lastOk != Long.MIN_VALUE && end >= m.faultNanos()) {
                    longestGap = Math.max(longestGap, end - lastOk);
                }
                lastOk = end;
            }
            if (end < m.faultNanos()) {
                continue;
            }
            after++;
            worst = Math.max(worst, c.nanos());
            if (c.nanos() > deadlineNanos) {
                overDeadline++;
            }
            if (!c.ok()) {
                failed++;
                errors.merge(c.sqlState(), 1, Integer::sum);
                if (Double.isNaN(firstFailure)) {
                    firstFailure = ms(end - m.faultNanos());
                }
            }
        }
        if (Double.isNaN(firstSuccess) && !calls.isEmpty() && lastOk != Long.MIN_VALUE) {
            // no success after the fault: the gap runs to the last recorded call
            longestGap = Math.max(longestGap, calls.get(calls.size() - 1).endNanos() - lastOk);
        }
        return new RecoveryMetrics(firstFailure, failed, after, ms(worst), overDeadline, firstSuccess,
                ms(longestGap), ms(m.returnNanos() - m.faultNanos()), okBefore / (baselineNanos / 1e9),
                okWindow / ((windowEnd - m.faultNanos()) / 1e9),
                errors.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" ")));
    }

    /** Throughput in the fault window as a fraction of the throughput before. */
    double windowRatio() {
        return tpsBefore == 0 ? Double.NaN : tpsWindow / tpsBefore;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
