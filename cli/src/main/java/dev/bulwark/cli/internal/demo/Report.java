package dev.bulwark.cli.internal.demo;

import dev.bulwark.core.FaultKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The final report: one column per run (with Bulwark, and with {@code --compare} plain JDBC beside it),
 * in words a newcomer can read without the code.
 *
 * <p>Stateless apart from its rows; not thread-safe.
 */
final class Report {

    private static final int LABEL_WIDTH = 50;
    private static final int COLUMN_WIDTH = 18;

    private final List<RunResult> runs;
    private final List<String> lines = new ArrayList<>();

    Report(List<RunResult> runs) {
        this.runs = List.copyOf(runs);
    }

    void print(PrintWriter out) {
        heading("");
        row("transfers acknowledged as committed", r -> n(r.committed()));
        row("transfers reported failed", r -> n(r.failed()));
        row("refused at once (breaker open)", r -> r.bulwark() == null ? "-" : n(r.rejected()));
        row("commit outcome unknown (08007)", r -> n(r.unknown()));
        row("failures by fault kind", r -> kinds(r));
        heading("Faults injected");
        for (String kind : DemoFaults.KINDS) {
            row("  " + kind, r -> n(r.faults().get(kind)));
        }
        heading("What Bulwark did");
        row("  retries (whole unit, fresh transaction)", b(c -> n(c.retries())));
        row("  broken connections evicted from the pool", b(c -> n(c.evicted())));
        row("  breaker opened", b(c -> n(c.breakerOpenings()) + "x"));
        row("  time breaker open or probing", b(c -> String.format("%.1f s", c.breakerNotClosed().toMillis() / 1000.0)));
        row("  calls refused while open", b(c -> n(c.rejected())));
        row("  lost acks resolved: had committed", b(c -> n(c.resolvedCommitted())));
        row("  lost acks resolved: had not, ran again", b(c -> n(c.resolvedNotCommitted())));
        row("  lost acks left unresolved", b(c -> n(c.resolvedUnknown())));
        heading("Invariants (checked in the database)");
        row("  total balance unchanged", r -> r.check().totalUnchanged() ? "yes" : "NO, " + n(r.check().actualTotal()));
        row("  transfer rows in the database", r -> n(r.check().rows()));
        row("  transfers applied twice", r -> flag(r.check().duplicated()));
        row("  acknowledged but missing", r -> flag(r.check().lost()));
        row("  told 'failed' but applied anyway", r -> flag(r.check().appliedButFailed()));
        row("  verdict", r -> r.check().holds() ? "ALL HOLD" : "VIOLATED");
        lines.forEach(out::println);
        out.flush();
    }

    private Function<RunResult, String> b(Function<RunResult.BulwarkCounts, String> f) {
        return r -> r.bulwark() == null ? "-" : f.apply(r.bulwark());
    }

    private void heading(String title) {
        StringBuilder line = new StringBuilder(pad(title, LABEL_WIDTH));
        for (RunResult r : runs) {
            line.append(pad(title.isEmpty() ? r.label() : "", COLUMN_WIDTH));
        }
        lines.add(line.toString().stripTrailing());
    }

    private void row(String label, Function<RunResult, String> value) {
        StringBuilder line = new StringBuilder(pad(label, LABEL_WIDTH));
        for (RunResult r : runs) {
            line.append(pad(value.apply(r), COLUMN_WIDTH));
        }
        lines.add(line.toString().stripTrailing());
    }

    private static String kinds(RunResult r) {
        if (r.failureKinds().isEmpty()) {
            return "none";
        }
        return r.failureKinds().entrySet().stream().map(e -> abbreviate(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String abbreviate(FaultKind kind) {
        return switch (kind) {
            case AMBIGUOUS_COMMIT -> "AMBIG";
            case CONNECTION -> "CONN";
            case TRANSIENT -> "TRANS";
            case REJECTED -> "REJ";
            default -> kind.name();
        };
    }

    private static String flag(long count) {
        return count == 0 ? "0" : n(count) + " <-- !";
    }

    private static String n(long value) {
        return String.format("%,d", value);
    }

    private static String pad(String s, int width) {
        return s.length() + 2 > width ? s + "  " : s + " ".repeat(width - s.length());
    }
}
