package dev.bulwark.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory harness's {@code memory.csv} (one line per stack) and {@code memory-classes.csv} (the classes
 * behind each stack's difference from raw), as the "Memory" table of summary.md.
 *
 * @param rows    by column name, one map per stack, raw first
 * @param classes stack, phase, class, instances and bytes per unit
 */
record MemorySummary(List<Map<String, String>> rows, List<List<String>> classes) {

    /** The goal: at most this many bytes per wrapped connection (and no thread per connection). */
    private static final double GOAL_BYTES = 200;

    static MemorySummary read(Path dir) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        List<List<String>> classes = new ArrayList<>();
        Path csv = dir.resolve("memory.csv");
        if (Files.exists(csv)) {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = JmhResults.split(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = JmhResults.split(line);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.size() && i < f.size(); i++) {
                    row.put(header.get(i), f.get(i));
                }
                rows.add(row);
            }
        }
        Path classCsv = dir.resolve("memory-classes.csv");
        if (Files.exists(classCsv)) {
            List<String> lines = Files.readAllLines(classCsv);
            lines.subList(1, lines.size()).forEach(l -> classes.add(JmhResults.split(l)));
        }
        return new MemorySummary(rows, classes);
    }

    /** Appends the "Memory" section to {@code md}; nothing when there was no memory run. */
    void appendTo(List<String> md) {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, String> raw = rows.get(0);
        md.add("### Memory (stub driver, " + raw.get("connections") + " connections held, then 1 prepared statement "
                + "on each; median of " + raw.get("rounds") + " rounds)");
        md.add("");
        md.add("| stack | B per connection | Δ vs raw | of which Bulwark objects | B per statement | Δ vs raw "
                + "| of which Bulwark objects | Δ B per DataSource | threads added: DataSource (by Bulwark.wrap) · "
                + "connections · statements | threads not the pool's | goal: ≤ 200 B/connection, no thread per connection |");
        md.add("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        for (Map<String, String> r : rows) {
            boolean isRaw = r == raw;
            boolean met = num(r, "connection_vs_raw_bytes") <= GOAL_BYTES
                    && num(r, "connection_bulwark_class_bytes") <= GOAL_BYTES
                    && r.get("threads_wrap").equals("0") && r.get("threads_not_pool").isEmpty()
                    && num(r, "threads_connections") <= num(raw, "threads_connections");
            md.add(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %.0f | %s | %s | %s | %s (%s) · %s · %s | %s | %s |",
                    r.get("stack"), num(r, "connection_live_bytes"), isRaw ? "—" : signed(r, "connection_vs_raw_bytes"),
                    isRaw ? "—" : bytes(r, "connection_bulwark_class_bytes"), num(r, "statement_live_bytes"),
                    isRaw ? "—" : signed(r, "statement_vs_raw_bytes"),
                    isRaw ? "—" : bytes(r, "statement_bulwark_class_bytes"),
                    isRaw ? "—" : String.format(Locale.ROOT, "%+,.0f", num(r, "datasource_vs_raw_bytes")),
                    r.get("threads_datasource"), r.get("threads_wrap"), r.get("threads_connections"), r.get("threads_statements"),
                    r.get("threads_not_pool").isEmpty() ? "none" : r.get("threads_not_pool").replace(";", ", "),
                    isRaw ? "—" : met ? "yes" : "**no**"));
        }
        md.add("");
        List<String> own = classes.stream().filter(c -> c.get(0).equals("bulwark") && !c.get(1).equals("datasource")
                        && Math.abs(Double.parseDouble(c.get(3))) >= 0.5) // whole objects per unit, not noise
                .map(c -> String.format(Locale.ROOT, "%s %.0f B (%s)", simpleName(c.get(2)), Double.parseDouble(c.get(4)),
                        c.get(1)))
                .toList();
        if (!own.isEmpty()) {
            md.add("Behind Bulwark.wrap's difference from raw, per unit: " + String.join("; ", own) + ".");
            md.add("");
        }
        md.add("Sizes are shallow bytes of live objects from the class histogram after a full GC (exact, not "
                + "timings); \"Δ vs raw\" is the difference of all live bytes from raw HikariCP measured in the same run.");
        md.add("");
    }

    private static String simpleName(String className) {
        return className.startsWith("[") ? className : className.substring(className.lastIndexOf('.') + 1);
    }

    private static double num(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    private static String signed(Map<String, String> row, String column) {
        return String.format(Locale.ROOT, "%+.0f", num(row, column));
    }

    private static String bytes(Map<String, String> row, String column) {
        return String.format(Locale.ROOT, "%.0f", num(row, column));
    }
}
