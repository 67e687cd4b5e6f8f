package dev.bulwark.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The end-to-end harness's {@code e2e-summary.csv}: one line per workload, client count and variant. */
record E2eSummary(List<Line> lines) {

    /** One variant's figures; NaN where the column is empty (pgbench has throughput only). */
    record Line(String workload, int threads, String variant, double tps, double ratio, double cpuMicros,
                double p50Micros, double p99Micros) {
    }

    static E2eSummary read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return new E2eSummary(lines);
        }
        List<String> all = Files.readAllLines(file);
        for (String text : all.subList(1, all.size())) {
            List<String> f = JmhResults.split(text);
            lines.add(new Line(f.get(0), Integer.parseInt(f.get(1)), f.get(2), num(f.get(3)), num(f.get(4)),
                    num(f.get(5)), num(f.get(6)), num(f.get(7))));
        }
        return new E2eSummary(lines);
    }

    Line find(String workload, int threads, String variant) {
        return lines.stream().filter(l -> l.workload.equals(workload) && l.threads == threads
                && l.variant.equals(variant)).findFirst().orElse(null);
    }

    List<String> workloads() {
        return lines.stream().map(Line::workload).distinct().toList();
    }

    List<Integer> threads(String workload) {
        return lines.stream().filter(l -> l.workload.equals(workload)).map(Line::threads).distinct().sorted().toList();
    }

    private static double num(String s) {
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
