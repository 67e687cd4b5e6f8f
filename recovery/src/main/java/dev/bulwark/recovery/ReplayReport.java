package dev.bulwark.recovery;

import dev.bulwark.core.Fault;
import java.util.Optional;

/**
 * What one {@link StoreAndForward#drain()} did.
 *
 * <p>Immutable and thread-safe.
 *
 * @param applied      writes applied and committed
 * @param skipped      writes whose key the commit ledger already held (applied before), checkpointed only
 * @param deadLettered writes moved to the dead-letter directory
 * @param remaining    records still in the journal afterwards
 * @param stoppedBy    the fault that stopped the drain before the journal was empty (the database is
 *                     unavailable), or empty
 */
public record ReplayReport(int applied, int skipped, int deadLettered, long remaining, Optional<Fault> stoppedBy) {

    /**
     * Creates a report.
     *
     * @throws NullPointerException if {@code stoppedBy} is null
     */
    public ReplayReport {
        java.util.Objects.requireNonNull(stoppedBy, "stoppedBy");
    }
}
