package dev.bulwark.cli.internal.demo;

import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosError;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.InjectedFault;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults the demo injects, as one seeded {@link ChaosPlan}: the same seed and duration give the same
 * plan, so the run with Bulwark and the run without it meet the same kinds and rates of faults.
 *
 * <p>Immutable and thread-safe.
 */
final class DemoFaults {

    /** Human names of the plan's rules, by rule index (the plan's evaluation order). */
    static final List<String> KINDS = List.of(
            "outage (08001 on connect, 08006 on statements)",
            "busy / serialization conflict (40001)",
            "connection broken mid-transaction (08006)",
            "lost commit acknowledgement (08006)");

    /** The index in {@link #KINDS} of each rule of the plan. */
    private static final int[] KIND_OF_RULE = {0, 0, 1, 2, 3, 3};

    /** The application's own statements; BEGIN, ROLLBACK and Bulwark's ledger never fail as busy here. */
    private static final String APPLICATION_WRITES =
            "(?i)^\\s*(UPDATE " + Bank.ACCOUNTS + "|INSERT INTO " + Bank.TRANSFERS + ")\\b.*";

    private final long seed;
    private final Duration outageStart;
    private final Duration outageLength;

    DemoFaults(long seed, Duration duration) {
        this.seed = seed;
        this.outageStart = duration.multipliedBy(2).dividedBy(5);
        Duration quarter = duration.dividedBy(4);
        this.outageLength = quarter.compareTo(Duration.ofSeconds(4)) > 0 ? Duration.ofSeconds(4) : quarter;
    }

    Duration outageStart() {
        return outageStart;
    }

    Duration outageLength() {
        return outageLength;
    }

    private Duration outageEnd() {
        return outageStart.plus(outageLength);
    }

    /** A fresh plan; its time window starts when the ChaosDataSource wrapping it is created. */
    ChaosPlan plan() {
        return ChaosPlan.builder().withSeed(seed)
                // the outage: new connections are refused and every statement on an open one fails
                .on(ChaosRule.atAcquire().withWindow(outageStart, outageEnd())
                        .fail(ChaosError.of("08001").withMessage("connection refused: the database is down")))
                .on(ChaosRule.atExecute().withWindow(outageStart, outageEnd())
                        .fail(ChaosError.of("08006").withMessage("connection lost: the database went down")))
                .on(ChaosRule.atExecute().withSqlMatching(APPLICATION_WRITES).withRate(0.02)
                        .fail(ChaosError.of("40001").withMessage("database is busy: could not serialize access")))
                .on(ChaosRule.atExecute().withSqlMatching(APPLICATION_WRITES).withRate(0.01)
                        .fail(ChaosError.of("08006").withMessage("connection reset: the server closed the connection")))
                // Connection.commit(), as plain JDBC and Bulwark on PostgreSQL/MariaDB commit ...
                .on(ChaosRule.atCommit().withRate(0.03).loseAcknowledgement())
                // ... and the COMMIT statement, as Bulwark commits on SQLite (after BEGIN IMMEDIATE)
                .on(ChaosRule.atExecute().withSqlMatching("(?i)^\\s*COMMIT\\s*$").withRate(0.03).loseAcknowledgement())
                .build();
    }

    /** How many faults of each kind {@code chaos} injected, in the order of {@link #KINDS}. */
    static Map<String, Long> countByKind(ChaosDataSource chaos) {
        Map<String, Long> counts = new LinkedHashMap<>();
        KINDS.forEach(k -> counts.put(k, 0L));
        for (InjectedFault f : chaos.injected()) {
            counts.merge(KINDS.get(KIND_OF_RULE[f.ruleIndex()]), 1L, Long::sum);
        }
        return counts;
    }
}
