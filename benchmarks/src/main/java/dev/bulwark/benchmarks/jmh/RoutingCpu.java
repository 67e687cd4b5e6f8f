package dev.bulwark.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link RoutingBenchmark}'s units timed by the calling thread's CPU time instead of wall time, which a loaded
 * machine inflates with the time the thread waits for a core: variants interleaved, {@code rounds} rounds of
 * {@code ops} units each; prints the median and range of CPU ns per unit.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.jmh.RoutingCpu [ops=100000] [rounds=5]
 * </pre>
 */
public final class RoutingCpu {

    private RoutingCpu() {
    }

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] variants = {"plain", "noReplicas", "replica"};
        List<RoutingBenchmark.Cluster> clusters = new ArrayList<>();
        for (String v : variants) {
            RoutingBenchmark.Cluster c = new RoutingBenchmark.Cluster();
            c.variant = v;
            c.open();
            clusters.add(c);
        }
        RoutingBenchmark bench = new RoutingBenchmark();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String unit : new String[] {"readOnlyUnit", "readWriteUnit"}) {
            double[][] perOp = new double[variants.length][rounds + 1];
            for (int r = 0; r <= rounds; r++) { // round 0 warms up
                for (int v = 0; v < variants.length; v++) {
                    RoutingBenchmark.Cluster c = clusters.get(v);
                    long start = cpu.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        if (unit.equals("readOnlyUnit")) {
                            bench.readOnlyUnit(c);
                        } else {
                            bench.readWriteUnit(c);
                        }
                    }
                    perOp[v][r] = (cpu.getCurrentThreadCpuTime() - start) / (double) ops;
                }
            }
            for (int v = 0; v < variants.length; v++) {
                double[] m = Arrays.copyOfRange(perOp[v], 1, rounds + 1);
                Arrays.sort(m);
                System.out.printf("%-14s %-11s CPU ns/unit: median %.0f (range %.0f..%.0f)%n", unit, variants[v],
                        m[m.length / 2], m[0], m[m.length - 1]);
            }
        }
        for (RoutingBenchmark.Cluster c : clusters) {
            c.close();
        }
    }
}
