package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/** Resolution turned off: records nothing, answers UNKNOWN. Immutable and thread-safe. */
final class OffResolver implements CommitResolver {

    private final String why;

    OffResolver(String why) {
        this.why = why;
    }

    @Override
    public CommitResolution strategy() {
        return CommitResolution.OFF;
    }

    @Override
    public String offReason() {
        return why;
    }

    @Override
    public CommitToken prepare(Connection txConnection) {
        return new CommitToken.None();
    }

    @Override
    public CommitToken prepare(Connection txConnection, String unitId) {
        LedgerTable.checkUnitId(unitId);
        return new CommitToken.None();
    }

    @Override
    public Resolution resolve(CommitToken token, ConnectionSource fresh, Duration budget) {
        return Resolution.of(CommitOutcome.UNKNOWN, "commit resolution is off: " + why, List.of());
    }
}
