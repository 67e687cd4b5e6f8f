package dev.bulwark.benchmarks.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end benchmark: for each workload and client count, a warm-up, then rounds in which every
 * variant runs for the same time, in an order rotated each round so drift (other load, autovacuum, the
 * JIT) falls on all variants alike. Writes {@code e2e-rounds.csv} (every run) and {@code e2e-summary.csv}
 * (median throughput and its ratio to raw, client CPU per operation, p50/p99 latency).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.e2e.EndToEnd [--quick] [--out=DIR]
 *     [--url=jdbc:postgresql://127.0.0.1:5432/test] [--user=postgres] [--password=] [--threads=1,4,16]
 *     [--rounds=N] [--seconds=N] [--warmup=N] [--accounts=100000] [--workloads=select,mix] [--pgbench=PATH|off]
 * </pre>
 */
public final class EndToEnd {

    private EndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(o.out());
        System.out.printf(Locale.ROOT, "e2e: %s, threads %s, %d rounds x %d s, warm-up %d s, %d accounts%n",
                o.url(), Arrays.toString(o.threads()), o.rounds(), o.seconds(), o.warmup(), o.accounts());
        List<String> summary = new ArrayList<>();
        summary.add("workload,threads,variant,median_tps,ratio_to_raw,cpu_us_per_op,p50_us,p99_us,rounds");
        try (BenchSchema schema = BenchSchema.create(o.url(), o.user(), o.password(), o.accounts());
             PrintWriter rounds = new PrintWriter(Files.newBufferedWriter(o.out().resolve("e2e-rounds.csv")))) {
            rounds.println("workload,threads,variant,round,operations,seconds,tps,cpu_us_per_op,p50_us,p99_us");
            String url = schema.urlFor(o.url());
            for (Workload workload : o.workloads()) {
                for (int threads : o.threads()) {
                    summary.addAll(runAll(o, url, workload, threads, rounds));
                    if (workload == Workload.SELECT && o.pgbench() != null) {
                        double tps = PgBench.selectOnly(o.pgbench(), o.url(), o.user(), schema.name(), o.accounts(),
                                threads, o.seconds());
                        System.out.printf(Locale.ROOT, "  pgbench -S  %2d clients: %,10.0f tps%n", threads, tps);
                        summary.add(String.format(Locale.ROOT, "select,%d,pgbench,%.1f,,,,,1", threads, tps));
                    }
                }
            }
        }
        Files.write(o.out().resolve("e2e-summary.csv"), summary);
        System.out.println("e2e: wrote " + o.out().resolve("e2e-summary.csv"));
    }

    private static List<String> runAll(Options o, String url, Workload workload, int threads, PrintWriter out)
            throws SQLException, InterruptedException {
        Map<Variant, Variant.Pool> pools = new EnumMap<>(Variant.class);
        Map<Variant, List<Measurement.Result>> results = new EnumMap<>(Variant.class);
        try {
            for (Variant v : Variant.values()) {
                pools.put(v, v.open(url, o.user(), o.password(), threads));
                results.put(v, new ArrayList<>());
            }
            for (Variant v : Variant.values()) {
                Measurement.run(pools.get(v).dataSource(), workload, threads, o.warmup() * 1000L, o.accounts(), 7);
            }
            Variant[] order = Variant.values();
            for (int round = 0; round < o.rounds(); round++) {
                for (int k = 0; k < order.length; k++) {
                    Variant v = order[(round + k) % order.length];
                    Measurement.Result r = Measurement.run(pools.get(v).dataSource(), workload, threads,
                            o.seconds() * 1000L, o.accounts(), round * 1000L + k);
                    results.get(v).add(r);
                    out.printf(Locale.ROOT, "%s,%d,%s,%d,%d,%.3f,%.1f,%.2f,%.1f,%.1f%n", workload.label(), threads,
                            v.label(), round + 1, r.operations(), r.wallNanos() / 1e9, r.throughput(),
                            r.cpuMicrosPerOperation(), r.latency().getValueAtPercentile(50) / 1e3,
                            r.latency().getValueAtPercentile(99) / 1e3);
                    out.flush();
                }
            }
        } finally {
            pools.values().forEach(Variant.Pool::close);
        }
        return summarize(workload, threads, results);
    }

    private static List<String> summarize(Workload workload, int threads, Map<Variant, List<Measurement.Result>> results) {
        List<Measurement.Result> raw = results.get(Variant.RAW);
        List<String> lines = new ArrayList<>();
        for (Variant v : Variant.values()) {
            List<Measurement.Result> mine = results.get(v);
            double[] tps = mine.stream().mapToDouble(Measurement.Result::throughput).toArray();
            double[] ratios = new double[mine.size()];
            for (int i = 0; i < mine.size(); i++) {
                ratios[i] = mine.get(i).throughput() / raw.get(i).throughput(); // same round: same conditions
            }
            Histogram latency = new Histogram(60_000_000_000L, 3);
            long ops = 0;
            long cpu = 0;
            for (Measurement.Result r : mine) {
                latency.add(r.latency());
                ops += r.operations();
                cpu += r.cpuNanos();
            }
            String line = String.format(Locale.ROOT, "%s,%d,%s,%.1f,%.4f,%.2f,%.1f,%.1f,%d", workload.label(), threads,
                    v.label(), median(tps), median(ratios), cpu / 1e3 / Math.max(1, ops),
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3, mine.size());
            System.out.printf(Locale.ROOT, "  %-6s %2d threads %-24s %,10.0f tps  x%.3f  cpu %.1f us/op  "
                            + "p50 %.0f us  p99 %.0f us%n", workload.label(), threads, v.label(), median(tps),
                    median(ratios), cpu / 1e3 / Math.max(1, ops), latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3);
            lines.add(line);
        }
        return lines;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The command line. */
    record Options(Path out, String url, String user, String password, int[] threads, int rounds, int seconds,
                   int warmup, int accounts, List<Workload> workloads, Path pgbench) {

        static Options parse(String[] args) throws IOException {
            boolean quick = Arrays.asList(args).contains("--quick");
            Map<String, String> given = new java.util.HashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name=value)");
                }
                int eq = arg.indexOf('=');
                given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
            }
            List<String> known = List.of("quick", "out", "url", "user", "password", "threads", "rounds", "seconds",
                    "warmup", "accounts", "workloads", "pgbench");
            for (String key : given.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
                }
            }
            int[] threads = Arrays.stream(given.getOrDefault("threads", "1,4,16").split(","))
                    .mapToInt(s -> positive("threads", s)).toArray();
            List<Workload> workloads = Arrays.stream(given.getOrDefault("workloads", "select,mix").split(","))
                    .map(s -> Workload.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
            String pg = given.getOrDefault("pgbench", "");
            return new Options(Path.of(given.getOrDefault("out", "benchmarks/results")),
                    given.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/test"),
                    given.getOrDefault("user", "postgres"), given.getOrDefault("password", ""), threads,
                    positive("rounds", given.getOrDefault("rounds", quick ? "2" : "5")),
                    positive("seconds", given.getOrDefault("seconds", quick ? "1" : "4")),
                    positive("warmup", given.getOrDefault("warmup", quick ? "1" : "3")),
                    positive("accounts", given.getOrDefault("accounts", "100000")), workloads,
                    pg.equals("off") ? null : PgBench.find(pg));
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a positive integer, got '" + value + "'", e);
            }
            throw new IllegalArgumentException("--" + name + " must be a positive integer, got '" + value + "'");
        }
    }
}
