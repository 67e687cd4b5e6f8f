package dev.bulwark.benchmarks.e2e;

import dev.bulwark.benchmarks.e2e.ClientLoad.CallRecord;
import dev.bulwark.benchmarks.e2e.RecoveryFault.Clusters;
import dev.bulwark.benchmarks.e2e.RecoveryMetrics.Moments;
import dev.bulwark.benchmarks.e2e.RecoveryStack.Client;
import dev.bulwark.benchmarks.e2e.RecoveryStack.PoolSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * Recovery timing: the same client load (threads each starting a one-row INSERT transaction at a fixed
 * rate) through raw HikariCP + pgjdbc and through {@code Bulwark.wrap(hikari)}, while scripted faults hit a
 * throw-away cluster: a restart, session kills, a failover to a standby, a hung primary. Each run has fresh
 * clusters; the stacks take turns per fault, their order swapped every repeat. Per run it measures the time
 * from the fault to the first failed call, the failed calls, the worst single call, the time from the
 * database's return to the first successful call, and the throughput in the fault window against before;
 * writes {@code recovery-timing.csv} (every run) and {@code recovery-timing.md} (medians).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.e2e.RecoveryTiming [--quick] [--out=DIR]
 *     [--faults=restart,session-kills,failover,hung-primary] [--stacks=raw,bulwark] [--repeats=N]
 *     [--clients=4] [--rate=50] [--warmup=S] [--settle=S] [--limit=S] [--gap-ms=1000] [--deadline-ms=2000]
 *     [--connection-timeout-ms=5000] [--connect-timeout=2] [--socket-timeout=10]
 * </pre>
 */
public final class RecoveryTiming {

    /** The goal: the first successful call at most this long after the database's return. */
    static final double GOAL_FIRST_SUCCESS_MS = 100;

    private RecoveryTiming() {
    }

    /** One run: a fault, a stack, which repeat, what was measured. */
    record Run(RecoveryFault fault, RecoveryStack stack, int repeat, RecoveryMetrics metrics) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<Run> runs = run(o);
        List<String> table = table(runs, o);
        table.forEach(System.out::println);
        Files.write(o.out().resolve("recovery-timing.md"), table);
        System.out.println("recovery: wrote " + o.out().resolve("recovery-timing.csv") + " and recovery-timing.md");
    }

    /** Runs every fault against every stack as {@code o} says; writes {@code recovery-timing.csv} as it goes. */
    static List<Run> run(Options o) throws IOException, SQLException, InterruptedException {
        Files.createDirectories(o.out());
        System.out.printf(Locale.ROOT, "recovery: %d clients x %.0f calls/s, %s; unit deadline %d ms; gap %d ms; "
                        + "%d repeat(s)%n", o.clients(), o.rate(), o.pool(), o.deadline().toMillis(), o.gap().toMillis(),
                o.repeats());
        List<String> csv = new ArrayList<>();
        csv.add("fault,stack,repeat,fault_to_first_failure_ms,failed_calls,calls,worst_stall_ms,calls_over_deadline,"
                + "return_to_first_success_ms,longest_gap_ms,outage_ms,tps_before,tps_window,window_ratio,errors");
        List<Run> runs = new ArrayList<>();
        for (RecoveryFault fault : o.faults()) {
            for (int repeat = 0; repeat < o.repeats(); repeat++) {
                for (int k = 0; k < o.stacks().size(); k++) {
                    RecoveryStack stack = o.stacks().get((repeat + k) % o.stacks().size());
                    RecoveryMetrics m = runOnce(o, fault, stack);
                    runs.add(new Run(fault, stack, repeat + 1, m));
                    csv.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%d,%.1f,%d,%s,%.1f,%.1f,%.1f,%.1f,%.3f,%s",
                            fault.label(), stack.label(), repeat + 1, num(m.firstFailureMs()), m.failedCalls(), m.calls(),
                            m.worstStallMs(), m.overDeadline(), num(m.firstSuccessMs()), m.longestGapMs(), m.outageMs(),
                            m.tpsBefore(), m.tpsWindow(), m.windowRatio(), m.errors()));
                    Files.write(o.out().resolve("recovery-timing.csv"), csv);
                    System.out.printf(Locale.ROOT, "  %-13s %-8s #%d: first failure %s ms, %d/%d failed, worst call "
                                    + "%.0f ms (%d over deadline), first success %s ms after return (outage %.0f ms), "
                                    + "longest gap %.0f ms, %.0f -> %.0f calls/s  [%s]%n", fault.label(), stack.label(),
                            repeat + 1, num(m.firstFailureMs()), m.failedCalls(), m.calls(), m.worstStallMs(),
                            m.overDeadline(), num(m.firstSuccessMs()), m.outageMs(), m.longestGapMs(), m.tpsBefore(),
                            m.tpsWindow(), m.errors());
                }
            }
        }
        return runs;
    }

    private static RecoveryMetrics runOnce(Options o, RecoveryFault fault, RecoveryStack stack)
            throws SQLException, InterruptedException {
        try (Clusters clusters = fault.start();
             Client client = stack.open(clusters.url(), clusters.primary().user(), clusters.primary().password(),
                     o.pool(), o.deadline())) {
            ClientLoad load = ClientLoad.start(o.clients(), o.rate(), client.call());
            List<CallRecord> calls;
            Moments moments;
            try (Connection admin = fault == RecoveryFault.SESSION_KILLS ? clusters.primary().connect() : null) {
                sleep(o.warmup());
                moments = fault.inject(clusters, o.gap(), admin);
                awaitRecovery(o, load, moments);
            } finally {
                calls = load.stop(Duration.ofSeconds(30).toMillis());
            }
            if (calls.isEmpty()) {
                throw new IllegalStateException(fault.label() + "/" + stack.label() + ": no call was recorded");
            }
            return RecoveryMetrics.of(calls, moments, o.warmup().toNanos() / 2, o.deadline().toNanos());
        }
    }

    /**
     * Waits until a call has succeeded after the database went down and {@code settle} has passed since
     * (and since the database's return), or until {@code limit} after the fault.
     */
    private static void awaitRecovery(Options o, ClientLoad load, Moments m) {
        long limit = m.faultNanos() + o.limit().toNanos();
        long seen = Long.MAX_VALUE;
        while (System.nanoTime() < limit) {
            long now = System.nanoTime();
            if (seen == Long.MAX_VALUE && load.lastSuccessNanos() > m.downNanos()) {
                seen = now;
            }
            // at least one second after the return: the throughput window runs that long
            long settle = Math.max(o.settle().toNanos(), Duration.ofMillis(1_100).toNanos());
            if (seen != Long.MAX_VALUE && now >= Math.max(seen, m.returnNanos()) + settle) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    /**
     * The medians over repeats (with their range), per fault and stack, as a Markdown table; the goal is
     * met when, in every run, the first success came at most 100 ms after the database's return and no call
     * took longer than the unit deadline.
     */
    static List<String> table(List<Run> runs, Options o) {
        List<String> md = new ArrayList<>();
        md.add("| fault | stack | fault → first failure ms | failed calls | worst call ms | calls > " + o.deadline().toMillis()
                + " ms | return → first success ms | longest gap without success ms | outage ms | calls/s before → "
                + "fault window (ratio) | runs | goal |");
        md.add("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        Map<String, List<RecoveryMetrics>> grouped = new LinkedHashMap<>();
        for (Run r : runs) {
            grouped.computeIfAbsent(r.fault().label() + "|" + r.stack().label(), k -> new ArrayList<>()).add(r.metrics());
        }
        for (Map.Entry<String, List<RecoveryMetrics>> e : grouped.entrySet()) {
            List<RecoveryMetrics> ms = e.getValue();
            String[] key = e.getKey().split("\\|");
            boolean met = ms.stream().allMatch(m -> m.firstSuccessMs() <= GOAL_FIRST_SUCCESS_MS && m.overDeadline() == 0);
            md.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s → %s (%s) | %d | %s |",
                    key[0], key[1], cell(ms, RecoveryMetrics::firstFailureMs), cell(ms, m -> m.failedCalls()),
                    cell(ms, RecoveryMetrics::worstStallMs), cell(ms, m -> m.overDeadline()),
                    cell(ms, RecoveryMetrics::firstSuccessMs), cell(ms, RecoveryMetrics::longestGapMs),
                    cell(ms, RecoveryMetrics::outageMs), cell(ms, RecoveryMetrics::tpsBefore),
                    cell(ms, RecoveryMetrics::tpsWindow), String.format(Locale.ROOT, "%.2f",
                            median(ms.stream().mapToDouble(RecoveryMetrics::windowRatio).toArray())), ms.size(),
                    met ? "met" : "**missed**"));
        }
        md.add("");
        md.add(String.format(Locale.ROOT, "%d clients x %.0f one-row INSERT transactions/s; %s; Bulwark unit deadline "
                + "%d ms; restart gap and hang before promotion %d ms.", o.clients(), o.rate(), o.pool(),
                o.deadline().toMillis(), o.gap().toMillis()));
        return md;
    }

    /** The median, with the range when there is more than one run; "—" for an event that never happened. */
    private static String cell(List<RecoveryMetrics> ms, ToDoubleFunction<RecoveryMetrics> f) {
        double[] v = ms.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return "—";
        }
        String med = String.format(Locale.ROOT, "%.0f", median(v));
        if (v.length < ms.size()) {
            med += " (" + v.length + "/" + ms.size() + " runs)";
        }
        if (ms.size() > 1 && v.length > 1) {
            double min = Arrays.stream(v).min().orElseThrow();
            double max = Arrays.stream(v).max().orElseThrow();
            if (min != max) {
                med += String.format(Locale.ROOT, " [%.0f–%.0f]", min, max);
            }
        }
        return med;
    }

    private static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        return v.length == 0 ? Double.NaN : EndToEnd.median(v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The command line. */
    record Options(Path out, List<RecoveryFault> faults, List<RecoveryStack> stacks, int repeats, int clients,
                   double rate, Duration warmup, Duration settle, Duration limit, Duration gap, Duration deadline,
                   PoolSettings pool) {

        private static final List<String> KNOWN = List.of("quick", "out", "faults", "stacks", "repeats", "clients",
                "rate", "warmup", "settle", "limit", "gap-ms", "deadline-ms", "connection-timeout-ms",
                "connect-timeout", "socket-timeout");

        static Options parse(String... args) {
            boolean quick = Arrays.asList(args).contains("--quick");
            Map<String, String> given = new HashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name=value)");
                }
                int eq = arg.indexOf('=');
                String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                if (!KNOWN.contains(key)) {
                    throw new IllegalArgumentException("unknown option --" + key + "; known: " + KNOWN);
                }
                given.put(key, eq < 0 ? "true" : arg.substring(eq + 1));
            }
            int clients = positive(given, "clients", "4");
            return new Options(Path.of(given.getOrDefault("out", "benchmarks/results")),
                    list(given.getOrDefault("faults", "restart,session-kills,failover,hung-primary"),
                            RecoveryFault.values(), RecoveryFault::label, "faults"),
                    list(given.getOrDefault("stacks", "raw,bulwark"), RecoveryStack.values(), RecoveryStack::label,
                            "stacks"),
                    positive(given, "repeats", quick ? "1" : "3"), clients, positive(given, "rate", "50"),
                    Duration.ofSeconds(positive(given, "warmup", quick ? "2" : "4")),
                    Duration.ofSeconds(positive(given, "settle", quick ? "1" : "3")),
                    Duration.ofSeconds(positive(given, "limit", quick ? "30" : "45")),
                    Duration.ofMillis(positive(given, "gap-ms", "1000")),
                    Duration.ofMillis(positive(given, "deadline-ms", "2000")),
                    new PoolSettings(clients, Duration.ofMillis(positive(given, "connection-timeout-ms", "5000")),
                            positive(given, "connect-timeout", "2"), positive(given, "socket-timeout", "10")));
        }

        private static <T> List<T> list(String names, T[] values, java.util.function.Function<T, String> label,
                                        String option) {
            List<T> chosen = new ArrayList<>();
            for (String name : names.split(",")) {
                T value = Arrays.stream(values).filter(v -> label.apply(v).equals(name.trim())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--" + option + ": unknown '" + name + "'; known: "
                                + Arrays.stream(values).map(label).toList()));
                chosen.add(value);
            }
            return List.copyOf(chosen);
        }

        private static int positive(Map<String, String> given, String name, String fallback) {
            String value = given.getOrDefault(name, fallback);
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
