package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.jdbc.CommitOutcome;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a {@link CommitResolver}: the outcome, one line saying how it was reached (no bind
 * values, no credentials), and the last errors met on the way (for the 08007 cause chain).
 */
public record Resolution(CommitOutcome outcome, String detail, List<SQLException> failures) {

    /** A long outage fails every poll the same way; the last few failures say enough. */
    static final int MAX_FAILURES = 10;

    public Resolution {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        int size = failures.size();
        failures = List.copyOf(size > MAX_FAILURES ? failures.subList(size - MAX_FAILURES, size) : failures);
    }

    static Resolution of(CommitOutcome outcome, String detail, List<SQLException> failures) {
        return new Resolution(outcome, detail, failures);
    }
}
