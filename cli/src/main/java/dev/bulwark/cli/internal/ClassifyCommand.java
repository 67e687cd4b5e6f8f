package dev.bulwark.cli.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.core.Fault;
import dev.bulwark.core.Faults;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark classify}: what Bulwark would do with an error of this SQLState and vendor code.
 *
 * <p>Not thread-safe; one instance per command line.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Show how Bulwark classifies an error (kind, retry scope, remedy) and what it would do.")
final class ClassifyCommand implements Callable<Integer> {

    private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<SQLState>",
            description = "Five characters such as 40001, or - for none (SQLite reports no SQLState).")
    private String sqlState;

    @Parameters(index = "1", paramLabel = "<vendorCode>", defaultValue = "0", arity = "0..1",
            description = "The driver's error code, e.g. 1213 (MySQL deadlock) or 5 (SQLITE_BUSY); default 0.")
    private int vendorCode;

    @Option(names = "--dialect", defaultValue = "generic", paramLabel = "<dialect>",
            completionCandidates = DialectNames.class,
            description = "One of: ${COMPLETION-CANDIDATES} (mariadb is mysql; generic: SQL-standard classes only;"
                    + " default: ${DEFAULT-VALUE}).")
    private String dialect;

    /** Every name {@code --dialect} accepts: each {@link Dialect} in lower case, and {@code mariadb} after mysql. */
    static final class DialectNames implements Iterable<String> {

        static final List<String> ALL = names();

        private static List<String> names() {
            List<String> names = new ArrayList<>();
            for (Dialect d : Dialect.values()) {
                names.add(d.name().toLowerCase(Locale.ROOT));
                if (d == Dialect.MYSQL) {
                    names.add("mariadb");
                }
            }
            return List.copyOf(names);
        }

        @Override
        public Iterator<String> iterator() {
            return ALL.iterator();
        }
    }

    @Override
    public Integer call() {
        Dialect d = parseDialect();
        String state = parseSqlState();
        Fault fault = Faults.forDialect(d).classify(new SQLException("bulwark classify", state, vendorCode));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("SQLState %s, vendor code %d, dialect %s%n%n", state == null ? "(none)" : state, vendorCode,
                d.name().toLowerCase(Locale.ROOT));
        line(out, "kind", fault.kind().name());
        line(out, "retry scope", fault.retryScope() + " - " + scope(fault));
        line(out, "may have taken effect", fault.mayHaveTakenEffect() ? "yes" : "no");
        line(out, "circuit breaker", fault.kind().countsTowardBreaker()
                ? "counts toward opening it (the database may be unwell)" : "not counted (the database is healthy)");
        line(out, "connection", fault.kind().evictsConnection() ? "evicted from the pool" : "kept");
        line(out, "message", fault.message());
        line(out, "remedy", fault.remedy());
        line(out, "rule", fault.detail());
        out.flush();
        return 0;
    }

    private static String scope(Fault fault) {
        return switch (fault.retryScope()) {
            case NONE -> "not retried; the error reaches your code";
            case UNIT -> "the whole unit of work runs again in a fresh transaction";
            case AFTER_RESOLUTION -> "Bulwark first finds out whether the commit landed; it runs again only if not";
        };
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-22s %s%n", label, value);
    }

    private Dialect parseDialect() {
        String name = dialect.toUpperCase(Locale.ROOT);
        if (name.equals("MARIADB")) {
            return Dialect.MYSQL;
        }
        for (Dialect d : Dialect.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new ParameterException(spec.commandLine(), "--dialect must be one of " + String.join(", ", DialectNames.ALL)
                + "; was '" + dialect + "'");
    }

    private String parseSqlState() {
        if (sqlState.equals("-")) {
            return null;
        }
        String upper = sqlState.toUpperCase(Locale.ROOT);
        if (!SQL_STATE.matcher(upper).matches()) {
            throw new ParameterException(spec.commandLine(), "<SQLState> must be five digits or letters such as"
                    + " 40001 (or - for none), was '" + sqlState + "'");
        }
        return upper;
    }
}
