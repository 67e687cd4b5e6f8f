package dev.bulwark.benchmarks.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory harness at a small scale (50 connections, one round): it measures every stack, finds Bulwark's
 * objects where Bulwark is in the path and only there, and sees no thread started per connection. No timings.
 */
class MemoryFootprintTest {

    private static final int CONNECTIONS = 50;

    @Test
    void measuresEveryStackAndFindsBulwarkOnlyWhereItIs(@TempDir Path dir) throws Exception {
        MemoryFootprint.run(CONNECTIONS, 1).write(dir);

        Map<String, Map<String, String>> rows = csv(dir.resolve("memory.csv"));
        assertThat(rows).containsOnlyKeys("raw", "bulwark", "bulwark-driver");
        for (Map<String, String> row : rows.values()) {
            assertThat(row.get("connections")).isEqualTo(String.valueOf(CONNECTIONS));
            assertThat(num(row, "connection_live_bytes")).isPositive(); // the pool's and driver's objects at least
            assertThat(num(row, "statement_live_bytes")).isPositive();
            assertThat(num(row, "datasource_live_bytes")).isPositive();
            // no thread per connection or statement, and none but the pool's own
            assertThat(num(row, "threads_connections")).isLessThan(CONNECTIONS / 2.0);
            assertThat(num(row, "threads_statements")).isLessThan(CONNECTIONS / 2.0);
            // besides the pool's: at most Bulwark's deadline watchdog, one per data source (never one per connection)
            String notPool = row.get("threads_not_pool");
            assertThat(notPool.isEmpty() ? List.<String>of() : List.of(notPool.split(";")))
                    .hasSizeLessThanOrEqualTo(1).allMatch(name -> name.startsWith("bulwark-watchdog-"));
            assertThat(row.get("threads_wrap")).isEqualTo("0");
        }
        assertThat(num(rows.get("raw"), "connection_bulwark_class_bytes")).isZero();
        assertThat(num(rows.get("raw"), "statement_bulwark_class_bytes")).isZero();
        for (String stack : List.of("bulwark", "bulwark-driver")) {
            // Bulwark's objects per connection are found, and within the goal (exact sizes, not timings)
            assertThat(num(rows.get(stack), "connection_bulwark_class_bytes"))
                    .isPositive().isLessThanOrEqualTo(MemoryFootprint.GOAL_BYTES_PER_CONNECTION);
            assertThat(num(rows.get(stack), "statement_bulwark_class_bytes")).isPositive();
            assertThat(num(rows.get(stack), "connection_vs_raw_bytes")).isPositive();
        }

        List<String> classes = Files.readAllLines(dir.resolve("memory-classes.csv"));
        for (String stack : List.of("bulwark", "bulwark-driver")) {
            assertThat(classes).as("Bulwark classes behind %s's extra bytes per connection", stack)
                    .anyMatch(l -> l.startsWith(stack + ",connection,dev.bulwark.jdbc."));
        }
        assertThat(classes).noneMatch(l -> l.startsWith("raw,"));
    }

    @Test
    void parsesTheHistogramAndTellsBulwarksClassesFromTheStubDriver() {
        HeapHistogram h = HeapHistogram.parse("""
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          1000          48000  dev.bulwark.jdbc.internal.Session
                   2:            10            320  [Ldev.bulwark.jdbc.internal.wrapper.StatementWrapper;
                   3:          1000          40000  dev.bulwark.benchmarks.stub.StubConnection
                   4:             5            160  java.lang.String (java.base@17.0.15)
                   5:             1             16  java.lang.String (java.base@17.0.15)
                Total          2016          88496
                """);
        assertThat(h.get("java.lang.String")).isEqualTo(new HeapHistogram.Counts(6, 176));
        assertThat(h.totalBytes()).isEqualTo(88_496);
        assertThat(h.bulwarkBytes()).isEqualTo(48_320);
        HeapHistogram fewer = HeapHistogram.parse("   1:   400   19200  dev.bulwark.jdbc.internal.Session\n");
        assertThat(h.minus(fewer).get("dev.bulwark.jdbc.internal.Session"))
                .isEqualTo(new HeapHistogram.Counts(600, 28_800));
        assertThat(fewer.minus(h).get("java.lang.String")).isEqualTo(new HeapHistogram.Counts(-6, -176));
        assertThatThrownBy(() -> HeapHistogram.parse("no such command")).isInstanceOf(IllegalStateException.class);
    }

    private static double num(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    private static Map<String, Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as("columns of %s", line).hasSameSizeAs(header);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], f[i]);
            }
            assertThat(rows.put(f[0], row)).as("one line per stack: %s", Arrays.toString(f)).isNull();
        }
        return rows;
    }
}
