package dev.bulwark.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects of this JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them, taken in-process
 * through the {@code DiagnosticCommand} MBean. Taking one runs a full GC first, so only reachable objects are
 * counted, each at its exact shallow size in this JVM (compressed oops, alignment and all).
 *
 * @param classes instances and bytes by class name (classes of the same name in several loaders summed)
 */
record HeapHistogram(Map<String, Counts> classes) {

    /** Instances of one class and their shallow bytes. */
    record Counts(long instances, long bytes) {
        Counts plus(Counts other) {
            return new Counts(instances + other.instances, bytes + other.bytes);
        }

        Counts minus(Counts other) {
            return new Counts(instances - other.instances, bytes - other.bytes);
        }
    }

    private static final Counts NONE = new Counts(0, 0);

    /** {@code "   12:          1000          32000  dev.bulwark.Foo (module@version)"}: rank, instances, bytes, name. */
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    /** Bulwark's own classes, not the benchmarks' stub driver (which stands for the real driver). */
    private static final String BULWARK = "dev.bulwark.";
    private static final String BENCHMARKS = "dev.bulwark.benchmarks.";

    /**
     * Runs a full GC and returns the text of the histogram of what survived it (to {@link #parse} later: parsed
     * histograms kept in the heap would be counted in the next one).
     *
     * @throws IllegalStateException if this JVM has no {@code DiagnosticCommand} MBean (not HotSpot)
     */
    static String takeText() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("no class histogram: this JVM has no DiagnosticCommand MBean ("
                    + e.getMessage() + "); run on HotSpot", e);
        }
    }

    /** Parses the text of {@code GC.class_histogram}. */
    static HeapHistogram parse(String text) {
        Map<String, Counts> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                classes.merge(m.group(3), new Counts(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        Counts::plus);
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("not a class histogram: " + text.substring(0, Math.min(200, text.length())));
        }
        return new HeapHistogram(Map.copyOf(classes));
    }

    /** What this histogram holds beyond {@code earlier}, class by class (negative where fewer). */
    HeapHistogram minus(HeapHistogram earlier) {
        Map<String, Counts> diff = new HashMap<>();
        classes.forEach((name, counts) -> diff.put(name, counts.minus(earlier.get(name))));
        earlier.classes.forEach((name, counts) -> diff.putIfAbsent(name, NONE.minus(counts)));
        diff.values().removeIf(c -> c.instances == 0 && c.bytes == 0);
        return new HeapHistogram(Map.copyOf(diff));
    }

    Counts get(String className) {
        return classes.getOrDefault(className, NONE);
    }

    /** All live bytes. */
    long totalBytes() {
        return classes.values().stream().mapToLong(Counts::bytes).sum();
    }

    /** The bytes of Bulwark's classes and arrays of them ({@code [Ldev.bulwark...;}). */
    long bulwarkBytes() {
        return classes.entrySet().stream().filter(e -> isBulwark(e.getKey()))
                .mapToLong(e -> e.getValue().bytes()).sum();
    }

    /** Whether {@code className} (as the histogram writes it, arrays included) is one of Bulwark's. */
    static boolean isBulwark(String className) {
        String element = className.startsWith("[L") ? className.substring(className.lastIndexOf('[') + 2) : className;
        return element.startsWith(BULWARK) && !element.startsWith(BENCHMARKS);
    }
}
