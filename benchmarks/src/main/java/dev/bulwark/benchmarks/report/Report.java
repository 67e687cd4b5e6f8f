package dev.bulwark.benchmarks.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads {@code jmh-*.csv}, {@code e2e-summary.csv}, {@code recovery-timing.md} and {@code memory.csv} (when
 * present) from a results directory and writes {@code summary.md} (the tables of docs/benchmarks.md) and
 * {@code chart.png} there.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.report.Report benchmarks/results
 * </pre>
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Report RESULTS_DIR (holding jmh-*.csv, e2e-summary.csv and memory.csv)");
        }
        Path dir = Path.of(args[0]);
        List<Path> jmhFiles;
        try (Stream<Path> files = Files.list(dir)) {
            jmhFiles = files.filter(p -> p.getFileName().toString().matches("jmh-.*\\.csv")).sorted().toList();
        }
        JmhResults jmh = JmhResults.read(jmhFiles);
        E2eSummary e2e = E2eSummary.read(dir.resolve("e2e-summary.csv"));
        List<String> md = new ArrayList<>();
        if (!jmh.isEmpty()) {
            for (int threads : jmh.threadCounts()) {
                perCall(md, jmh, threads);
            }
            peers(md, jmh);
        }
        if (!e2e.lines().isEmpty()) {
            endToEnd(md, e2e);
        }
        Path recovery = dir.resolve("recovery-timing.md");
        if (Files.exists(recovery)) {
            md.add("### Recovery timing, throw-away PostgreSQL clusters");
            md.add("");
            md.addAll(Files.readAllLines(recovery));
            md.add("");
            md.add("Goal: first success ≤ 100 ms after the database returns, and no call longer than the unit "
                    + "deadline, in every run. Medians over runs, [range].");
            md.add("");
        }
        MemorySummary.read(dir).appendTo(md);
        Files.write(dir.resolve("summary.md"), md);
        Chart.draw(jmh, e2e, dir.resolve("chart.png"));
        System.out.println("report: wrote " + dir.resolve("summary.md") + " and " + dir.resolve("chart.png"));
    }

    private static void perCall(List<String> md, JmhResults jmh, int threads) {
        md.add("### Per call, " + threads + (threads == 1 ? " thread" : " threads") + " (JMH, stub driver)");
        md.add("");
        md.add("| call | raw ns/op | Bulwark ns/op | Bulwark / raw | Δ ns | raw B/op | Bulwark B/op | Δ B | budget | met |");
        md.add("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        for (Case c : Case.all()) {
            var bulwark = jmh.get(c.bulwark().benchmark(), threads, c.bulwark().variant(), c.bulwark().rows());
            if (bulwark.isEmpty()) {
                continue;
            }
            var b = bulwark.get();
            var raw = c.raw() == null ? null
                    : jmh.get(c.raw().benchmark(), threads, c.raw().variant(), c.raw().rows()).orElse(null);
            String verdict = "";
            if (c.goal() != null) {
                boolean met;
                if (!Double.isNaN(c.goal().absoluteNanos())) {
                    met = b.nanos() <= c.goal().absoluteNanos();
                } else if (raw == null) {
                    met = false;
                } else {
                    met = b.nanos() - raw.nanos() <= c.goal().deltaNanos()
                            && (Double.isNaN(c.goal().deltaBytes()) || b.bytes() - raw.bytes() <= c.goal().deltaBytes());
                }
                verdict = met ? "yes" : "**no**";
            }
            md.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", c.label(),
                    raw == null ? "—" : ns(raw.nanos()), ns(b.nanos()) + err(b),
                    raw == null ? "—" : String.format(Locale.ROOT, "%.2f", b.nanos() / raw.nanos()),
                    raw == null ? "—" : signed(b.nanos() - raw.nanos()), raw == null ? "—" : bytes(raw.bytes()),
                    bytes(b.bytes()), raw == null ? "—" : signed(Math.round(b.bytes() - raw.bytes())),
                    c.goal() == null ? "—" : c.goal().text(), verdict));
        }
        md.add("");
    }

    private static void peers(List<String> md, JmhResults jmh) {
        md.add("### Peers (ns/op · B/op)");
        md.add("");
        md.add("| call | threads | raw | Bulwark | datasource-proxy | Resilience4j | Failsafe |");
        md.add("|---|---:|---:|---:|---:|---:|---:|");
        for (int threads : jmh.threadCounts()) {
            for (Case c : Case.all()) {
                if (c.peers().isEmpty()) {
                    continue;
                }
                var b = jmh.get(c.bulwark().benchmark(), threads, c.bulwark().variant(), c.bulwark().rows());
                if (b.isEmpty()) {
                    continue;
                }
                String raw = c.raw() == null ? "—" : cell(jmh, c.raw(), threads);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %s | %s", c.label(),
                        threads, raw, cell(jmh, c.bulwark(), threads)));
                for (String peer : List.of("datasource-proxy", "Resilience4j", "Failsafe")) {
                    Case.Ref ref = c.peers().get(peer);
                    row.append(" | ").append(ref == null ? "—" : cell(jmh, ref, threads));
                }
                md.add(row.append(" |").toString());
            }
        }
        md.add("");
    }

    private static String cell(JmhResults jmh, Case.Ref ref, int threads) {
        return jmh.get(ref.benchmark(), threads, ref.variant(), ref.rows())
                .map(s -> ns(s.nanos()) + " · " + bytes(s.bytes())).orElse("n/a");
    }

    private static void endToEnd(List<String> md, E2eSummary e2e) {
        md.add("### End to end, loopback PostgreSQL");
        md.add("");
        md.add("| workload | clients | raw tps | Bulwark / raw | jdbc:bulwark: / raw | Bulwark, no stmt timeout / raw "
                + "| AWS wrapper / raw | pgbench tps | client CPU µs/op raw · Bulwark · driver · AWS "
                + "| p50 µs raw · Bulwark · driver · AWS | p99 µs raw · Bulwark · driver · AWS |");
        md.add("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        for (String workload : e2e.workloads()) {
            for (int threads : e2e.threads(workload)) {
                var raw = e2e.find(workload, threads, "raw");
                var b = e2e.find(workload, threads, "bulwark");
                var d = e2e.find(workload, threads, "bulwark-driver");
                var pg = e2e.find(workload, threads, "pgbench");
                var nt = e2e.find(workload, threads, "bulwark-no-stmt-timeout");
                var aws = e2e.find(workload, threads, "aws-wrapper");
                if (raw == null || b == null || d == null) {
                    continue;
                }
                md.add(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s | %s | %s | %s | %.1f · %.1f · %.1f · %s | "
                                + "%.0f · %.0f · %.0f · %s | %.0f · %.0f · %.0f · %s |", workload, threads, raw.tps(),
                        ratio(b.ratio()), ratio(d.ratio()), nt == null ? "—" : ratio(nt.ratio()),
                        aws == null ? "—" : ratio(aws.ratio()),
                        pg == null ? "—" : String.format(Locale.ROOT, "%,.0f", pg.tps()),
                        raw.cpuMicros(), b.cpuMicros(), d.cpuMicros(), aws == null ? "—" : String.format(Locale.ROOT, "%.1f", aws.cpuMicros()),
                        raw.p50Micros(), b.p50Micros(), d.p50Micros(), aws == null ? "—" : String.format(Locale.ROOT, "%.0f", aws.p50Micros()),
                        raw.p99Micros(), b.p99Micros(), d.p99Micros(), aws == null ? "—" : String.format(Locale.ROOT, "%.0f", aws.p99Micros())));
            }
        }
        md.add("");
        md.add("Budget: ≥ 0.98 × raw HikariCP throughput. Ratios are medians of per-round ratios (variants "
                + "interleaved, order rotated each round).");
        md.add("");
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 0.98 ? "%.3f" : "**%.3f**", r);
    }

    static String ns(double nanos) {
        if (Double.isNaN(nanos)) {
            return "n/a";
        }
        return nanos >= 100 ? String.format(Locale.ROOT, "%,.0f", nanos) : String.format(Locale.ROOT, "%.1f", nanos);
    }

    private static String err(JmhResults.Score s) {
        return Double.isNaN(s.error()) ? "" : String.format(Locale.ROOT, " ± %s", ns(s.error()));
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%,.0f", b);
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "−") + ns(Math.abs(v));
    }

}
