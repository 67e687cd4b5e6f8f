package dev.bulwark.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison of the report: a baseline (raw HikariCP, or the bare call), Bulwark's version, the
 * peers' versions, and the budget of DESIGN.md that applies.
 *
 * @param label   what is measured, as the table shows it
 * @param raw     the baseline, or null when the figure stands alone (failure paths)
 * @param bulwark Bulwark's measurement
 * @param peers   label to measurement, in column order
 * @param goal    the budget, or null
 */
record Case(String label, Ref raw, Ref bulwark, Map<String, Ref> peers, Goal goal) {

    /** A JMH benchmark ({@code Class.method}) with its {@code variant} and {@code rows} parameters ("" for none). */
    record Ref(String benchmark, String variant, String rows) {
    }

    /**
     * A budget: Bulwark minus raw at most {@code deltaNanos} and {@code deltaBytes}, or Bulwark alone at most
     * {@code absoluteNanos} (NaN where it does not apply).
     */
    record Goal(String text, double deltaNanos, double deltaBytes, double absoluteNanos) {
        static Goal delta(String text, double nanos, double bytes) {
            return new Goal(text, nanos, bytes, Double.NaN);
        }

        static Goal absolute(String text, double nanos) {
            return new Goal(text, Double.NaN, Double.NaN, nanos);
        }
    }

    static final String PASS_THROUGH = "pass-through: ≤ +5 ns per call, +0 B";

    /** The comparisons, in the order of the report. */
    static List<Case> all() {
        Map<String, Ref> none = Map.of();
        return List.of(
                stack("connection acquire + close", "JdbcPathBenchmark.acquireClose", "",
                        Goal.delta("HikariCP cycle ≤ +50 ns", 50, Double.NaN)),
                stack("prepare + executeUpdate + close", "JdbcPathBenchmark.prepareExecuteClose", "",
                        Goal.delta("execute hook ≤ +100 ns, ≤ +64 B", 100, 64)),
                stack("executeQuery + next + 3 getters, 1 row", "QueryBenchmark.queryAndRead", "1",
                        Goal.delta("≤ +100 ns, ≤ +64 B; + 4 pass-through calls per row", 100 + 20, 64)),
                stack("executeQuery + next + 3 getters, 100 rows", "QueryBenchmark.queryAndRead", "100",
                        Goal.delta("≤ +100 ns, ≤ +64 B; + 4 pass-through calls per row", 100 + 20 * 100, 64)),
                stack("executeQuery + next + 3 getters, 1,000 rows", "QueryBenchmark.queryAndRead", "1000",
                        Goal.delta("≤ +100 ns, ≤ +64 B; + 4 pass-through calls per row", 100 + 20 * 1000, 64)),
                stack("10 parameter setters", "JdbcPathBenchmark.setters10", "",
                        Goal.delta(PASS_THROUGH + " (10 calls)", 50, 0.5)),
                stack("commit", "JdbcPathBenchmark.commit", "", Goal.delta(PASS_THROUGH, 5, 0.5)),
                stack("rollback", "JdbcPathBenchmark.rollback", "", Goal.delta(PASS_THROUGH, 5, 0.5)),
                stack("transaction, hand-written begin/commit", "UnitOfWorkBenchmark.handWritten", "", null),
                new Case("transaction: inTransaction vs hand-written on raw",
                        new Ref("UnitOfWorkBenchmark.handWritten", "raw", ""),
                        new Ref("UnitOfWorkBenchmark.inTransaction", "", ""), none, null),
                new Case("guarded execute (success path)", new Ref("GuardBenchmark.executeRaw", "", ""),
                        new Ref("GuardBenchmark.executeBulwark", "", ""), peers(
                                "Resilience4j", new Ref("GuardBenchmark.executeResilience4j", "", ""),
                                "Failsafe", new Ref("GuardBenchmark.executeFailsafe", "", "")),
                        Goal.delta("guarded execute ≤ +100 ns, ≤ +64 B", 100, 64)),
                new Case("classify 40001 in a cause chain", null, new Ref("FailurePathBenchmark.classify", "", ""),
                        none, null),
                new Case("call refused by an open breaker", null,
                        new Ref("FailurePathBenchmark.rejectOpenBulwark", "", ""), peers(
                                "Resilience4j", new Ref("FailurePathBenchmark.rejectOpenResilience4j", "", ""),
                                "Failsafe", new Ref("FailurePathBenchmark.rejectOpenFailsafe", "", "")),
                        Goal.absolute("open-breaker rejection ≤ 500 ns", 500)),
                new Case("one retry, zero backoff (fail 40001, succeed)", null,
                        new Ref("FailurePathBenchmark.retryOnceBulwark", "", ""), peers(
                                "Resilience4j", new Ref("FailurePathBenchmark.retryOnceResilience4j", "", ""),
                                "Failsafe", new Ref("FailurePathBenchmark.retryOnceFailsafe", "", "")),
                        null));
    }

    private static Case stack(String label, String benchmark, String rows, Goal goal) {
        return new Case(label, new Ref(benchmark, "raw", rows), new Ref(benchmark, "bulwark", rows),
                peers("datasource-proxy", new Ref(benchmark, "dsproxy", rows)), goal);
    }

    private static Map<String, Ref> peers(Object... labelsAndRefs) {
        Map<String, Ref> peers = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndRefs.length; i += 2) {
            peers.put((String) labelsAndRefs[i], (Ref) labelsAndRefs[i + 1]);
        }
        return peers;
    }
}
