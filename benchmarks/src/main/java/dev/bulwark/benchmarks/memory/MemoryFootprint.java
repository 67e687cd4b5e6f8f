package dev.bulwark.benchmarks.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What Bulwark costs in memory and threads: retained heap per wrapped connection, per prepared statement and
 * per DataSource, and the threads it starts, beside raw HikariCP, all over the in-process stub driver (no
 * server needed). Each round measures every {@link Stack} (order rotated) with {@code --connections} held
 * open at once, then one prepared statement open on each; see {@link Footprint} for the points measured.
 *
 * <p>Two measures of the retained heap, both after a full GC: the class histogram of the live objects
 * (exact shallow sizes; the {@code dev.bulwark.*} classes are Bulwark's own objects, the difference of all
 * classes from the raw stack also counts arrays and JDK objects Bulwark holds), and the used heap of the
 * {@code MemoryMXBean} (coarser, a cross-check). Writes {@code memory.csv} (one line per stack: medians over
 * the rounds) and {@code memory-classes.csv} (the classes behind the difference from raw, last round).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.memory.MemoryFootprint \
 *     [--connections=1000] [--rounds=3] [--out=benchmarks/results]
 * </pre>
 */
public final class MemoryFootprint {

    /** The goal of the benchmarks issue: at most this many bytes retained per wrapped connection. */
    static final double GOAL_BYTES_PER_CONNECTION = 200;

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 1000;
        int rounds = 3;
        Path out = Path.of("benchmarks/results");
        for (String arg : args) {
            if (arg.startsWith("--connections=")) {
                connections = positive(arg);
            } else if (arg.startsWith("--rounds=")) {
                rounds = positive(arg);
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg
                        + "': expected --connections=N, --rounds=N or --out=DIR");
            }
        }
        Results results = run(connections, rounds);
        results.print(System.out);
        results.write(out);
        System.out.println("memory: wrote " + out.resolve(Results.CSV) + " and " + out.resolve(Results.CLASSES_CSV));
    }

    /**
     * Runs a warm-up round (so class loading and the first use of JMX are not counted) and {@code rounds}
     * measured rounds of every stack with {@code connections} connections held.
     */
    static Results run(int connections, int rounds) throws SQLException, IOException {
        int warmUp = Math.min(connections, 20);
        for (Stack stack : Stack.values()) {
            Footprint.measure(stack, warmUp, 0);
        }
        Map<Stack, List<Footprint>> byStack = new EnumMap<>(Stack.class);
        Stack[] stacks = Stack.values();
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < stacks.length; i++) {
                Stack stack = stacks[(i + round) % stacks.length]; // rotate the order: no stack always runs first
                byStack.computeIfAbsent(stack, s -> new ArrayList<>())
                        .add(Footprint.measure(stack, connections, round));
            }
        }
        return new Results(connections, rounds, byStack);
    }

    private static int positive(String arg) {
        String value = arg.substring(arg.indexOf('=') + 1);
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(arg.substring(0, arg.indexOf('=')) + " must be a positive integer, got '"
                + value + "'");
    }

    /** One stack's figures, per connection and per statement in bytes: medians over the rounds. */
    record Row(String stack, int connections, int rounds,
               double connectionLive, double connectionLiveMin, double connectionLiveMax,
               double connectionVsRaw, double connectionBulwarkClasses, double connectionUsedVsRaw,
               double statementLive, double statementVsRaw, double statementBulwarkClasses, double statementUsedVsRaw,
               double dataSourceLive, double dataSourceVsRaw,
               int threadsDataSource, int threadsWrap, int threadsConnections, int threadsStatements,
               List<String> threadsNotPools,
               List<String> threadsOfPool) {

        /**
         * Whether this stack meets the goal: within {@link #GOAL_BYTES_PER_CONNECTION} of raw, no thread of its
         * own, no more threads while connections are borrowed than raw.
         */
        boolean meetsGoal(Row raw) {
            return connectionVsRaw <= GOAL_BYTES_PER_CONNECTION && connectionBulwarkClasses <= GOAL_BYTES_PER_CONNECTION
                    && threadsWrap == 0 && threadsNotPools.isEmpty() && threadsConnections <= raw.threadsConnections;
        }
    }

    /** Every stack's rows and the class differences behind them. */
    record Results(int connections, int rounds, Map<Stack, List<Footprint>> byStack) {

        static final String CSV = "memory.csv";
        static final String CLASSES_CSV = "memory-classes.csv";
        private static final int TOP_CLASSES = 12;

        List<Row> rows() {
            List<Footprint> raw = byStack.get(Stack.RAW);
            List<Row> rows = new ArrayList<>();
            for (Stack stack : Stack.values()) {
                List<Footprint> fs = byStack.get(stack);
                double n = connections;
                List<Double> connLive = new ArrayList<>();
                List<Double> connVs = new ArrayList<>();
                List<Double> connOwn = new ArrayList<>();
                List<Double> connUsed = new ArrayList<>();
                List<Double> stLive = new ArrayList<>();
                List<Double> stVs = new ArrayList<>();
                List<Double> stOwn = new ArrayList<>();
                List<Double> stUsed = new ArrayList<>();
                List<Double> ds = new ArrayList<>();
                List<Double> dsVs = new ArrayList<>();
                int threadsDs = 0;
                int threadsWrap = 0;
                int threadsConn = 0;
                int threadsSt = 0;
                TreeSet<String> others = new TreeSet<>();
                TreeSet<String> pools = new TreeSet<>();
                for (int r = 0; r < fs.size(); r++) {
                    Footprint f = fs.get(r);
                    Footprint base = raw.get(r); // the same round
                    connLive.add(f.connections().liveBytes() / n);
                    connVs.add((f.connections().liveBytes() - base.connections().liveBytes()) / n);
                    connOwn.add(f.connections().bulwarkBytes() / n);
                    connUsed.add((f.connections().usedBytes() - base.connections().usedBytes()) / n);
                    stLive.add(f.statements().liveBytes() / n);
                    stVs.add((f.statements().liveBytes() - base.statements().liveBytes()) / n);
                    stOwn.add(f.statements().bulwarkBytes() / n);
                    stUsed.add((f.statements().usedBytes() - base.statements().usedBytes()) / n);
                    ds.add((double) f.dataSource().liveBytes());
                    dsVs.add((double) (f.dataSource().liveBytes() - base.dataSource().liveBytes()));
                    // threads: the most seen in any round, so a thread that appears once is not hidden
                    threadsDs = Math.max(threadsDs, f.threadsForDataSource());
                    threadsWrap = Math.max(threadsWrap, f.threadsForWrap());
                    threadsConn = Math.max(threadsConn, f.threadsForConnections());
                    threadsSt = Math.max(threadsSt, f.threadsForStatements());
                    others.addAll(f.otherThreads());
                    f.poolThreads().forEach(t -> pools.add(t.substring(f.poolName().length() + 1)));
                }
                rows.add(new Row(stack.label(), connections, fs.size(), median(connLive), min(connLive), max(connLive),
                        median(connVs), median(connOwn), median(connUsed), median(stLive), median(stVs),
                        median(stOwn), median(stUsed), median(ds), median(dsVs), threadsDs, threadsWrap, threadsConn,
                        threadsSt,
                        List.copyOf(others), List.copyOf(pools)));
            }
            return rows;
        }

        /**
         * Classes whose count differs from raw's, per connection or statement (per DataSource: in all), largest
         * first, from the last round.
         */
        List<String> classLines() {
            List<String> lines = new ArrayList<>();
            Footprint raw = last(Stack.RAW);
            for (Stack stack : Stack.values()) {
                if (stack == Stack.RAW) {
                    continue;
                }
                Footprint f = last(stack);
                addClasses(lines, stack, "datasource", f.dataSource().classes().minus(raw.dataSource().classes()));
                addClasses(lines, stack, "connection", f.connections().classes().minus(raw.connections().classes()));
                addClasses(lines, stack, "statement", f.statements().classes().minus(raw.statements().classes()));
            }
            return lines;
        }

        private void addClasses(List<String> lines, Stack stack, String phase, HeapHistogram diff) {
            double unit = phase.equals("datasource") ? 1 : connections;
            diff.classes().entrySet().stream()
                    .filter(e -> Math.abs(e.getValue().bytes()) / unit >= 0.5)
                    .sorted((x, y) -> Long.compare(Math.abs(y.getValue().bytes()), Math.abs(x.getValue().bytes())))
                    .limit(TOP_CLASSES)
                    .forEach(e -> lines.add(String.format(Locale.ROOT, "%s,%s,%s,%.2f,%.1f", stack.label(), phase,
                            e.getKey(), e.getValue().instances() / unit, e.getValue().bytes() / unit)));
        }

        private Footprint last(Stack stack) {
            List<Footprint> fs = byStack.get(stack);
            return fs.get(fs.size() - 1);
        }

        void write(Path dir) throws IOException {
            Files.createDirectories(dir);
            List<String> csv = new ArrayList<>();
            csv.add("stack,connections,rounds,connection_live_bytes,connection_live_bytes_min,connection_live_bytes_max,"
                    + "connection_vs_raw_bytes,connection_bulwark_class_bytes,connection_used_heap_vs_raw_bytes,"
                    + "statement_live_bytes,statement_vs_raw_bytes,statement_bulwark_class_bytes,"
                    + "statement_used_heap_vs_raw_bytes,datasource_live_bytes,datasource_vs_raw_bytes,"
                    + "threads_datasource,threads_wrap,threads_connections,threads_statements,threads_not_pool,threads_of_pool");
            for (Row r : rows()) {
                csv.add(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.0f,%.0f,"
                                + "%d,%d,%d,%d,%s,%s", r.stack(), r.connections(), r.rounds(), r.connectionLive(),
                        r.connectionLiveMin(), r.connectionLiveMax(), r.connectionVsRaw(), r.connectionBulwarkClasses(),
                        r.connectionUsedVsRaw(), r.statementLive(), r.statementVsRaw(), r.statementBulwarkClasses(),
                        r.statementUsedVsRaw(), r.dataSourceLive(), r.dataSourceVsRaw(), r.threadsDataSource(),
                        r.threadsWrap(), r.threadsConnections(), r.threadsStatements(),
                        String.join(";", r.threadsNotPools()),
                        String.join(";", r.threadsOfPool())));
            }
            Files.write(dir.resolve(CSV), csv);
            List<String> classes = new ArrayList<>();
            classes.add("stack,phase,class,instances_per_unit,bytes_per_unit");
            classes.addAll(classLines());
            Files.write(dir.resolve(CLASSES_CSV), classes);
        }

        void print(java.io.PrintStream out) {
            List<Row> rows = rows();
            Row raw = rows.get(0);
            out.printf(Locale.ROOT, "Memory: %d connections held open, then 1 prepared statement on each; stub driver; "
                    + "%d rounds, median [min..max]; bytes after a full GC%n", connections, rounds);
            out.println("  live = class-histogram bytes of all live objects added; vs raw = minus raw HikariCP's;");
            out.println("  Bulwark classes = bytes of dev.bulwark.* objects; used vs raw = MemoryMXBean used heap, minus raw's");
            out.printf(Locale.ROOT, "%-15s %-28s %8s %9s %9s | %8s %8s %9s %9s | %10s %8s | %s%n", "stack",
                    "per connection: live", "vs raw", "Bulwark", "used-raw", "per stmt", "vs raw", "Bulwark",
                    "used-raw", "DataSource", "vs raw", "threads: DataSource (by wrap) / connections / statements; not the pool's");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "%-15s %8.1f [%7.1f..%7.1f] %8.1f %9.1f %9.1f | %8.1f %8.1f %9.1f %9.1f | %,10.0f %,8.0f"
                                + " | %d (%d) / %d / %d; %s%n", r.stack(), r.connectionLive(), r.connectionLiveMin(),
                        r.connectionLiveMax(), r.connectionVsRaw(), r.connectionBulwarkClasses(), r.connectionUsedVsRaw(),
                        r.statementLive(), r.statementVsRaw(), r.statementBulwarkClasses(), r.statementUsedVsRaw(),
                        r.dataSourceLive(), r.dataSourceVsRaw(), r.threadsDataSource(), r.threadsWrap(),
                        r.threadsConnections(), r.threadsStatements(),
                        r.threadsNotPools().isEmpty() ? "none" : r.threadsNotPools());
            }
            out.println("HikariCP's own threads: " + raw.threadsOfPool());
            for (Row r : rows.subList(1, rows.size())) {
                out.printf(Locale.ROOT, "goal (≤ %.0f B per connection, no thread per connection), %s: %s%n",
                        GOAL_BYTES_PER_CONNECTION, r.stack(), r.meetsGoal(raw) ? "met" : "MISSED");
            }
            out.println("Classes behind the difference from raw (per connection, per statement, per DataSource; last round):");
            out.println("  stack, phase, class, instances, bytes");
            classLines().forEach(l -> out.println("  " + l.replace(",", ", ")));
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
