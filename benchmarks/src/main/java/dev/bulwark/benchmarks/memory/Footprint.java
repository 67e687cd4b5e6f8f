package dev.bulwark.benchmarks.memory;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One stack's footprint in one round: the heap and threads at four points, each taken after a full GC.
 *
 * <ol>
 *   <li>A: before the DataSource exists;</li>
 *   <li>B: the DataSource ready (pool started, Bulwark wrapped, one connection borrowed, returned and evicted);</li>
 *   <li>C: {@code n} connections borrowed and held;</li>
 *   <li>D: and one prepared statement open on each.</li>
 * </ol>
 * Per connection is (C − B) / n: a physical connection, the pool's entry and proxy, and what Bulwark adds,
 * above or below the pool. Per statement is (D − C) / n, per DataSource B − A. The arrays holding the
 * connections and statements exist from before A, so they are not counted.
 *
 * @param stack        the stack measured
 * @param n            connections (and statements) held
 * @param dataSource   B − A
 * @param connections  C − B
 * @param statements   D − C
 * @param threadsAt    live threads at A, after the pool started, after {@code Bulwark.wrap} (or not), B, C and D
 * @param newThreads   the threads started since A and alive at some later point, by name
 * @param poolName     the pool's name, which HikariCP puts in its threads' names
 */
record Footprint(Stack stack, int n, Delta dataSource, Delta connections, Delta statements, int[] threadsAt,
                 List<String> newThreads, String poolName) {

    /** The SQL of every statement: one shared literal, so no statement holds a string of its own. */
    static final String SQL = "SELECT 1";

    /** The difference between two points. */
    record Delta(long liveBytes, long usedBytes, HeapHistogram classes) {
        /** The bytes of Bulwark's own classes. */
        long bulwarkBytes() {
            return classes.bulwarkBytes();
        }
    }

    /**
     * The heap and threads at one moment, after a full GC. The histogram and the thread names go to a file, to
     * be read once the stack is measured: kept in the heap, they would be counted in the next point.
     */
    private record Point(long usedBytes, int threadCount, Path file) {

        static Point take(Path dir, String name) throws IOException {
            System.gc(); // a full GC with G1, unless the JVM was told otherwise (-XX:+ExplicitGCInvokesConcurrent)
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Path file = dir.resolve(name);
            Files.writeString(file, HeapHistogram.takeText()); // a full GC of its own, then the census
            StringBuilder threads = new StringBuilder();
            liveThreads().forEach((id, threadName) -> threads.append(id).append('\t')
                    .append(threadName.replace('\n', ' ')).append('\n'));
            Files.writeString(dir.resolve(name + ".threads"), threads);
            return new Point(used, ManagementFactory.getThreadMXBean().getThreadCount(), file);
        }

        HeapHistogram histogram() throws IOException {
            return HeapHistogram.parse(Files.readString(file));
        }

        Map<Long, String> threads() throws IOException {
            Map<Long, String> threads = new HashMap<>();
            for (String line : Files.readAllLines(file.resolveSibling(file.getFileName() + ".threads"))) {
                int tab = line.indexOf('\t');
                threads.put(Long.parseLong(line.substring(0, tab)), line.substring(tab + 1));
            }
            return threads;
        }

        Delta since(Point earlier) throws IOException {
            HeapHistogram now = histogram();
            HeapHistogram then = earlier.histogram();
            return new Delta(now.totalBytes() - then.totalBytes(), usedBytes - earlier.usedBytes, now.minus(then));
        }
    }

    /** Measures {@code stack} with {@code n} connections held; {@code round} names the pool. */
    static Footprint measure(Stack stack, int n, int round) throws SQLException, IOException {
        Connection[] held = new Connection[n];
        PreparedStatement[] prepared = new PreparedStatement[n];
        String poolName = stack.poolName(round);
        Path dir = Files.createTempDirectory("bulwark-memory-");
        try {
            Point a = Point.take(dir, "a");
            HikariDataSource pool = stack.pool(n, round);
            int threadsPoolStarted = ManagementFactory.getThreadMXBean().getThreadCount();
            int threadsWrapped;
            Point b;
            Point c;
            Point d;
            try {
                DataSource front = stack.front(pool);
                threadsWrapped = ManagementFactory.getThreadMXBean().getThreadCount();
                firstConnection(stack, front, pool);
                b = Point.take(dir, "b");
                for (int i = 0; i < n; i++) {
                    held[i] = front.getConnection();
                }
                c = Point.take(dir, "c");
                for (int i = 0; i < n; i++) {
                    prepared[i] = held[i].prepareStatement(SQL);
                }
                d = Point.take(dir, "d");
                close(prepared, held);
                Reference.reachabilityFence(front);
            } finally {
                pool.close();
            }
            Map<Long, String> seen = new HashMap<>();
            for (Point p : List.of(b, c, d)) {
                seen.putAll(p.threads());
            }
            a.threads().keySet().forEach(seen::remove);
            int[] threadsAt = {a.threadCount, threadsPoolStarted, threadsWrapped, b.threadCount, c.threadCount,
                d.threadCount};
            Footprint f = new Footprint(stack, n, b.since(a), c.since(b), d.since(c), threadsAt,
                    seen.values().stream().sorted().toList(), poolName);
            awaitGone(poolName);
            return f;
        } finally {
            for (String name : List.of("a", "b", "c", "d")) {
                Files.deleteIfExists(dir.resolve(name));
                Files.deleteIfExists(dir.resolve(name + ".threads"));
            }
            Files.delete(dir);
        }
    }

    /** Live threads added while the DataSource was made ready (pool, Bulwark, first connection). */
    int threadsForDataSource() {
        return threadsAt[3] - threadsAt[0];
    }

    /** Live threads added by {@code Bulwark.wrap} itself (0 where the stack does not call it). */
    int threadsForWrap() {
        return threadsAt[2] - threadsAt[1];
    }

    /** Live threads added while the {@code n} connections were borrowed. */
    int threadsForConnections() {
        return threadsAt[4] - threadsAt[3];
    }

    /** Live threads added while the {@code n} statements were prepared. */
    int threadsForStatements() {
        return threadsAt[5] - threadsAt[4];
    }

    /** New threads not named after the pool: not HikariCP's, so Bulwark's (or the JVM's). */
    List<String> otherThreads() {
        return newThreads.stream().filter(name -> !isPools(name)).toList();
    }

    /** New threads named after the pool: HikariCP's housekeeper, connection adder and closer. */
    List<String> poolThreads() {
        return newThreads.stream().filter(this::isPools).toList();
    }

    private boolean isPools(String threadName) {
        return isPools(threadName, poolName);
    }

    /** HikariCP names its threads {@code <pool>:housekeeper} (7.x) or {@code <pool> housekeeper} (older). */
    private static boolean isPools(String threadName, String poolName) {
        return threadName.startsWith(poolName) && threadName.length() > poolName.length()
                && !Character.isLetterOrDigit(threadName.charAt(poolName.length()));
    }

    /**
     * Borrows and returns one connection, so everything made on first use is made before B, then empties the
     * pool, so that each of the {@code n} connections measured is a new one, with all it holds. In its own method:
     * an interpreted frame keeps the dead local of a closed connection reachable, and it would be counted in B.
     */
    private static void firstConnection(Stack stack, DataSource front, HikariDataSource pool) throws SQLException {
        try (Connection first = front.getConnection()) {
            stack.check(first);
        }
        pool.getHikariPoolMXBean().softEvictConnections();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (pool.getHikariPoolMXBean().getTotalConnections() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pool.getPoolName() + ": the first connection was not evicted in 5 s");
            }
            Thread.onSpinWait();
        }
    }

    private static void close(PreparedStatement[] prepared, Connection[] held) throws SQLException {
        for (PreparedStatement s : prepared) {
            s.close();
        }
        for (Connection c : held) {
            c.close();
        }
    }

    private static Map<Long, String> liveThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return names;
    }

    /** Waits (up to 5 s) for a closed pool's threads to end, so they are not counted against the next stack. */
    private static void awaitGone(String poolName) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && liveThreads().values().stream().anyMatch(n -> isPools(n, poolName))) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
