package dev.bulwark.benchmarks.recovery;

import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable appends per second of {@link Journal} with 1, 4, 16 and 64 concurrent writers, beside the
 * machine's raw rate of write+fsync (one writer, the physical limit without group commit) and SQLite
 * WAL-mode inserts of the same payload with {@code synchronous=FULL} (a durable peer), measured in one run
 * on the same disk, variants interleaved round by round. Prints a Markdown table of medians and ratios.
 *
 * <pre>java -cp benchmarks/target/bulwark-benchmarks.jar dev.bulwark.benchmarks.recovery.JournalThroughput
 *     [seconds per measurement, default 3] [rounds, default 3] [directory, default a temp dir]</pre>
 */
public final class JournalThroughput {

    private static final int PAYLOAD = 200;
    private static final int[] WRITERS = {1, 4, 16, 64};

    private JournalThroughput() {
    }

    interface Appender {
        void append(byte[] payload) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("bulwark-journal-bench");
        System.out.printf("journal throughput: %.1f s per measurement, %d rounds, payload %d B, in %s%n",
                seconds, rounds, PAYLOAD, root);
        List<String> names = new ArrayList<>();
        names.add("raw write+fsync, 1 writer");
        for (int w : WRITERS) {
            names.add("Bulwark journal, " + w + " writers");
        }
        for (int w : new int[] {1, 4}) {
            names.add("SQLite WAL insert (synchronous=FULL), " + w + " writers");
        }
        List<List<Double>> results = new ArrayList<>();
        names.forEach(n -> results.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            int i = 0;
            results.get(i++).add(rawFsync(root.resolve("raw-" + round), seconds));
            for (int w : WRITERS) {
                results.get(i++).add(journal(root.resolve("journal-" + round + "-" + w), w, seconds));
            }
            for (int w : new int[] {1, 4}) {
                results.get(i++).add(sqlite(root.resolve("sqlite-" + round + "-" + w + ".db"), w, seconds));
            }
        }
        double raw = median(results.get(0));
        System.out.println();
        System.out.println("| variant | durable appends/s (median) | range | ratio to raw fsync |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < names.size(); i++) {
            List<Double> r = results.get(i);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f-%,.0f | %.2f |%n", names.get(i), median(r),
                    r.stream().mapToDouble(d -> d).min().orElse(0), r.stream().mapToDouble(d -> d).max().orElse(0),
                    median(r) / raw);
        }
    }

    private static double rawFsync(Path file, double seconds) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.allocate(PAYLOAD + 16);
            long count = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                buf.clear();
                ch.write(buf);
                ch.force(false);
                count++;
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double journal(Path dir, int writers, double seconds) throws Exception {
        try (Journal journal = Journal.open(JournalConfig.builder().withDirectory(dir).build())) {
            return run(writers, seconds, journal::append);
        } finally {
            deleteTree(dir);
        }
    }

    private static double sqlite(Path file, int writers, double seconds) throws Exception {
        String url = "jdbc:sqlite:" + file;
        try (Connection setup = DriverManager.getConnection(url); Statement s = setup.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
        }
        List<Connection> connections = new ArrayList<>();
        ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
        try {
            return run(writers, seconds, payload -> {
                PreparedStatement p = statements.get();
                if (p == null) {
                    Connection c = DriverManager.getConnection(url);
                    synchronized (connections) {
                        connections.add(c);
                    }
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA synchronous=FULL");
                        s.execute("PRAGMA busy_timeout=10000");
                    }
                    p = c.prepareStatement("INSERT INTO log (payload) VALUES (?)");
                    statements.set(p);
                }
                p.setBytes(1, payload);
                p.executeUpdate(); // autocommit: durable when it returns
            });
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
    }

    private static double run(int writers, double seconds, Appender appender) throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(writers);
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Thread t = new Thread(() -> {
                byte[] payload = new byte[PAYLOAD];
                started.countDown();
                try {
                    while (running.get()) {
                        appender.append(payload);
                        done.increment();
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        started.await();
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000)); // the measurement window
        running.set(false);
        long elapsed = System.nanoTime() - start;
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return done.sum() / (elapsed / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
