package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.core.CommitResolution;
import java.time.Duration;
import java.util.Objects;

/**
 * What commit resolution needs from the configuration. Immutable; the public configuration that
 * feeds it validates user input the same way, naming property and value.
 *
 * @param mode             which strategy; AUTO picks per dialect
 * @param ledgerTable      the ledger table's name (a plain identifier)
 * @param createLedger     whether Bulwark may create a missing ledger table (CREATE TABLE IF NOT EXISTS)
 * @param ledgerFallback   on PostgreSQL, also write a ledger marker so a failover can still be resolved
 * @param retention        how long ledger rows are kept
 * @param expiryInterval   at most one expiry run per interval
 * @param maxPause         the longest pause between two polls of a resolution
 */
public record ResolutionSettings(CommitResolution mode, String ledgerTable, boolean createLedger,
                                 boolean ledgerFallback, Duration retention, Duration expiryInterval,
                                 Duration maxPause) {

    /**
     * @throws IllegalArgumentException naming the setting and value that are not allowed
     */
    public ResolutionSettings {
        Objects.requireNonNull(mode, "mode");
        LedgerTable.checkName(ledgerTable);
        positive("retention", retention);
        positive("expiryInterval", expiryInterval);
        positive("maxPause", maxPause);
    }

    /** AUTO, table {@code bulwark_commit_ledger} (not created), no fallback, 24 h retention, hourly expiry. */
    public static ResolutionSettings defaults() {
        return new ResolutionSettings(CommitResolution.AUTO, LedgerTable.DEFAULT_NAME, false, false,
                Duration.ofHours(24), Duration.ofHours(1), Duration.ofMillis(500));
    }

    public ResolutionSettings withMode(CommitResolution value) {
        return new ResolutionSettings(value, ledgerTable, createLedger, ledgerFallback, retention, expiryInterval, maxPause);
    }

    public ResolutionSettings withLedgerTable(String value) {
        return new ResolutionSettings(mode, value, createLedger, ledgerFallback, retention, expiryInterval, maxPause);
    }

    public ResolutionSettings withCreateLedger(boolean value) {
        return new ResolutionSettings(mode, ledgerTable, value, ledgerFallback, retention, expiryInterval, maxPause);
    }

    public ResolutionSettings withLedgerFallback(boolean value) {
        return new ResolutionSettings(mode, ledgerTable, createLedger, value, retention, expiryInterval, maxPause);
    }

    public ResolutionSettings withRetention(Duration value) {
        return new ResolutionSettings(mode, ledgerTable, createLedger, ledgerFallback, value, expiryInterval, maxPause);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("commit resolution setting " + name + " must be positive, got " + value);
        }
    }
}
