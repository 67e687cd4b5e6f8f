package dev.bulwark.benchmarks.memory;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
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
 *   <li>B: the DataSource ready (pool started, Bulwark wrapped, one connection borrowed and returned);</li>
 *   <li>C: {@code n} connections borrowed and held;</li>
 *   <li>D: and one prepared statement open on each.</li>
 * </ol>
 * Per connection is (C − B) / n, per statement (D − C) / n, per DataSource B − A. The arrays holding the
 * connections and statements exist from before B, so they are not counted.
 *
 * @param stack        the stack measured
 * @param n            connections (and statements) held
 * @param dataSource   B − A
 * @param connections  C − B
 * @param statements   D − C
 * @param threadsAt    live threads at A, after the pool started, B, C and D
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

    /** The heap and threads at one moment, after a full GC. */
    private record Point(long usedBytes, HeapHistogram histogram, Map<Long, String> threads, int threadCount) {

        static Point take() {
            System.gc(); // a full GC with G1, unless the JVM was told otherwise (-XX:+ExplicitGCInvokesConcurrent)
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            HeapHistogram histogram = HeapHistogram.take(); // a full GC of its own, then the census
            return new Point(used, histogram, liveThreads(), ManagementFactory.getThreadMXBean().getThreadCount());
        }

        Delta since(Point earlier) {
            HeapHistogram classes = histogram.minus(earlier.histogram);
            return new Delta(histogram.totalBytes() - earlier.histogram.totalBytes(), usedBytes - earlier.usedBytes,
                    classes);
        }
    }

    /** Measures {@code stack} with {@code n} connections held; {@code round} names the pool. */
    static Footprint measure(Stack stack, int n, int round) throws SQLException {
        Connection[] held = new Connection[n];
        PreparedStatement[] prepared = new PreparedStatement[n];
        String poolName = stack.poolName(round);
        Map<Long, String> seen = new HashMap<>();
        int[] threadsAt = new int[5];

        Point a = Point.take();
        threadsAt[0] = a.threadCount;
        HikariDataSource pool = stack.pool(n, round);
        Point b;
        Point c;
        Point d;
        try {
            threadsAt[1] = ManagementFactory.getThreadMXBean().getThreadCount();
            seen.putAll(liveThreads());
            DataSource front = stack.front(pool);
            try (Connection first = front.getConnection()) {
                stack.check(first);
            }
            b = Point.take();
            for (int i = 0; i < n; i++) {
                held[i] = front.getConnection();
            }
            c = Point.take();
            for (int i = 0; i < n; i++) {
                prepared[i] = held[i].prepareStatement(SQL);
            }
            d = Point.take();
            for (Point p : List.of(b, c, d)) {
                seen.putAll(p.threads);
            }
            close(prepared, held);
            Reference.reachabilityFence(front);
        } finally {
            pool.close();
        }
        threadsAt[2] = b.threadCount;
        threadsAt[3] = c.threadCount;
        threadsAt[4] = d.threadCount;
        a.threads.keySet().forEach(seen::remove);
        awaitGone(poolName);
        return new Footprint(stack, n, b.since(a), c.since(b), d.since(c), threadsAt,
                seen.values().stream().sorted().toList(), poolName);
    }

    /** Live threads added while the DataSource was made ready (pool, Bulwark, first connection). */
    int threadsForDataSource() {
        return threadsAt[2] - threadsAt[0];
    }

    /** Live threads added while the {@code n} connections were borrowed. */
    int threadsForConnections() {
        return threadsAt[3] - threadsAt[2];
    }

    /** Live threads added while the {@code n} statements were prepared. */
    int threadsForStatements() {
        return threadsAt[4] - threadsAt[3];
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
