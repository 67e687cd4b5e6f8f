package dev.bulwark.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JMH results read from its CSV output ({@code -rf csv}): primary scores (ns/op) and the
 * {@code gc.alloc.rate.norm} secondary (B/op) of each benchmark, thread count and parameter set.
 */
final class JmhResults {

    /** One benchmark configuration: {@code Class.method}, threads, {@code variant} and {@code rows} ("" if none). */
    record Key(String benchmark, int threads, String variant, String rows) {
    }

    /** Its mean time and allocation. */
    record Score(double nanos, double error, double bytes) {
    }

    private final Map<Key, Score> scores;

    private JmhResults(Map<Key, Score> scores) {
        this.scores = scores;
    }

    static JmhResults read(List<Path> files) throws IOException {
        Map<Key, double[]> raw = new HashMap<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                continue;
            }
            List<String> header = split(lines.get(0));
            int variantColumn = header.indexOf("Param: variant");
            int rowsColumn = header.indexOf("Param: rows");
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = split(line);
                String name = f.get(0);
                String metric = "";
                int colon = name.indexOf(':');
                if (colon >= 0) {
                    metric = name.substring(colon + 1);
                    name = name.substring(0, colon);
                }
                if (!metric.isEmpty() && !metric.equals("gc.alloc.rate.norm")) {
                    continue;
                }
                String[] parts = name.split("\\.");
                String shortName = parts[parts.length - 2] + "." + parts[parts.length - 1];
                Key key = new Key(shortName, Integer.parseInt(f.get(2)), column(f, variantColumn),
                        column(f, rowsColumn));
                double[] values = raw.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
                if (metric.isEmpty()) {
                    values[0] = Double.parseDouble(f.get(4));
                    values[1] = parse(f.get(5));
                } else {
                    values[2] = Double.parseDouble(f.get(4));
                }
            }
        }
        Map<Key, Score> scores = new HashMap<>();
        raw.forEach((k, v) -> scores.put(k, new Score(v[0], v[1], v[2])));
        return new JmhResults(scores);
    }

    Optional<Score> get(String benchmark, int threads, String variant, String rows) {
        return Optional.ofNullable(scores.get(new Key(benchmark, threads, variant, rows)));
    }

    List<Integer> threadCounts() {
        return scores.keySet().stream().map(Key::threads).distinct().sorted().toList();
    }

    boolean isEmpty() {
        return scores.isEmpty();
    }

    private static String column(List<String> fields, int index) {
        return index < 0 || index >= fields.size() ? "" : fields.get(index);
    }

    private static double parse(String s) {
        return s.isEmpty() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }

    /** Splits one CSV line, honouring double quotes. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
