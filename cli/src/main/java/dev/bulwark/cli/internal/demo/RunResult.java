package dev.bulwark.cli.internal.demo;

import dev.bulwark.core.FaultKind;
import java.time.Duration;
import java.util.Map;

/**
 * Everything one run of the demo produced: what the application was told, the faults injected, what
 * Bulwark did ({@code null} counts for the plain JDBC run) and what the database holds.
 *
 * @param label             "with Bulwark" or "plain JDBC"
 * @param elapsed           wall time of the workload
 * @param committed         transfers acknowledged as committed
 * @param failed            transfers reported as failed
 * @param rejected          transfers refused at once by the open breaker
 * @param unknown           transfers reported with an unknown commit outcome (08007)
 * @param failureKinds      failed, refused and unknown transfers by fault kind
 * @param faults            faults injected, by kind
 * @param bulwark           what Bulwark did, or {@code null} for the plain JDBC run
 * @param check             the invariant check against the database
 */
record RunResult(String label, Duration elapsed, long committed, long failed, long rejected, long unknown,
                 Map<FaultKind, Long> failureKinds, Map<String, Long> faults, BulwarkCounts bulwark, Check check) {

    long faultsInjected() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * What Bulwark reported through its events.
     *
     * @param retries            retries scheduled
     * @param rejected           calls refused by a policy
     * @param evicted            connections evicted from the pool
     * @param breakerOpenings    times the breaker went from CLOSED to OPEN
     * @param breakerNotClosed   time the breaker spent OPEN or HALF_OPEN
     * @param resolvedCommitted  lost acknowledgements resolved as committed (not run again)
     * @param resolvedNotCommitted lost acknowledgements resolved as not committed (run again)
     * @param resolvedUnknown    lost acknowledgements that could not be resolved
     */
    record BulwarkCounts(long retries, long rejected, long evicted, long breakerOpenings, Duration breakerNotClosed,
                         long resolvedCommitted, long resolvedNotCommitted, long resolvedUnknown) {
    }

    /**
     * The invariants, checked against the database after the run.
     *
     * @param expectedTotal     the sum of all balances before the run
     * @param actualTotal       the sum after the run
     * @param rows              transfer rows in the database
     * @param duplicated        transfer ids applied more than once
     * @param lost              transfers acknowledged as committed but absent
     * @param appliedButFailed  transfers the application was told failed (or were refused) that were applied
     * @param unknownApplied    transfers reported unknown that were in fact applied
     */
    record Check(long expectedTotal, long actualTotal, long rows, long duplicated, long lost, long appliedButFailed,
                 long unknownApplied) {

        boolean totalUnchanged() {
            return expectedTotal == actualTotal;
        }

        /** Money conserved, nothing applied twice, nothing acknowledged lost, nothing reported failed applied. */
        boolean holds() {
            return totalUnchanged() && duplicated == 0 && lost == 0 && appliedButFailed == 0;
        }

        static Check of(long expectedTotal, Bank.Ledger ledger, Map<String, Outcome> told) {
            long duplicated = ledger.applied().values().stream().filter(n -> n > 1).count();
            long rows = ledger.applied().values().stream().mapToLong(Integer::longValue).sum();
            long lost = 0;
            long appliedButFailed = 0;
            long unknownApplied = 0;
            for (Map.Entry<String, Outcome> e : told.entrySet()) {
                boolean applied = ledger.applied().containsKey(e.getKey());
                switch (e.getValue()) {
                    case COMMITTED -> lost += applied ? 0 : 1;
                    case FAILED, REJECTED -> appliedButFailed += applied ? 1 : 0;
                    case UNKNOWN -> unknownApplied += applied ? 1 : 0;
                }
            }
            return new Check(expectedTotal, ledger.total(), rows, duplicated, lost, appliedButFailed, unknownApplied);
        }
    }
}
