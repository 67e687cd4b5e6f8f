package dev.bulwark.recovery;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link IntegrityCheck#run}: what was checked, what could not be, and every problem
 * found. Immutable and thread-safe.
 *
 * @param database the database family checked ({@code SQLITE}, {@code POSTGRESQL}, ...)
 * @param checked  the objects checked, e.g. {@code quick_check} or {@code index 'account_pkey'}
 * @param skipped  checks that could not run, each with the reason (e.g. amcheck not installed)
 * @param problems the problems found; empty when the database looks healthy
 */
public record IntegrityReport(String database, List<String> checked, List<String> skipped, List<Problem> problems) {

    /** Copies the lists. @throws NullPointerException if one is null */
    public IntegrityReport {
        Objects.requireNonNull(database, "database");
        checked = List.copyOf(checked);
        skipped = List.copyOf(skipped);
        problems = List.copyOf(problems);
    }

    /** Whether no problem was found (checks that were skipped found nothing either way). */
    public boolean isHealthy() {
        return problems.isEmpty();
    }

    /**
     * One problem.
     *
     * @param object   what is damaged: {@code database}, a table or an index, quoted
     * @param sqlState the SQLState of the error that reported it, or {@code null} when a check returned it as a row
     * @param detail   the database's own description
     */
    public record Problem(String object, String sqlState, String detail) {
    }
}
