package dev.bulwark.jdbc.internal.resolve;

import dev.bulwark.jdbc.CommitOutcome;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a {@link CommitResolver}: the outcome, one line saying how it was reached (no bind
 * values, no credentials), and the errors met on the way (for the 08007 cause chain).
 */
public record Resolution(CommitOutcome outcome, String detail, List<SQLException> failures) {

    public Resolution {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        failures = List.copyOf(failures);
    }

    static Resolution of(CommitOutcome outcome, String detail, List<SQLException> failures) {
        return new Resolution(outcome, detail, failures);
    }
}
