import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;

/**
 * Virtual-thread clients through Bulwark on loopback PostgreSQL, under JFR's jdk.VirtualThreadPinned (threshold 0,
 * with stack traces): 16 virtual threads share a pool of 4 connections, so they wait for the pool, the database and
 * each other inside Bulwark. Prints every pinning event whose stack has a dev.bulwark frame, and fails (exit 1) if
 * there is any, or if a unit's getConnection() on its own virtual thread is not the unit's connection, or if any
 * operation failed. Needs JDK 21 or later (source launcher):
 *
 *   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp benchmarks/target/benchmarks.jar \
 *       benchmarks/virtual-threads/PinningCheck.java [jdbc:postgresql://127.0.0.1:5432/test] [user]
 */
public class PinningCheck {
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
        String user = args.length > 1 ? args[1] : "postgres";
        String table = "bulwark_vt_" + Long.toHexString(System.nanoTime());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(4);
        config.setPoolName("vt-check");
        List<String> pinned = new ArrayList<>();
        AtomicInteger pinEvents = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger bindingErrors = new AtomicInteger();
        ConcurrentHashMap<String, Integer> errors = new ConcurrentHashMap<>();
        try (HikariDataSource hikari = new HikariDataSource(config);
             RecordingStream jfr = new RecordingStream()) {
            jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            jfr.onEvent("jdk.VirtualThreadPinned", e -> {
                pinEvents.incrementAndGet();
                if (e.getStackTrace() == null) {
                    return;
                }
                StringBuilder stack = new StringBuilder();
                boolean ours = false;
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    String m = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                    ours |= m.startsWith("dev.bulwark");
                    stack.append("\n    at ").append(m).append(':').append(f.getLineNumber());
                }
                if (ours) {
                    synchronized (pinned) {
                        pinned.add(e.getDuration() + (e.hasField("pinnedReason") ? " reason: " + e.getValue("pinnedReason") : "")
                                + (e.hasField("blockingOperation") ? ", blocking: " + e.getValue("blockingOperation") : "")
                                + stack);
                    }
                }
            });
            BulwarkDataSource db = Bulwark.wrap(hikari);
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, n int NOT NULL)");
                s.execute("INSERT INTO " + table + " SELECT g, 0 FROM generate_series(1, 16) g");
            }
            int threads = 16;
            int rounds = 20;
            // Phase 0 warms up: a class's first loading and initialisation pin, once, in the JDK's own class
            // loader; phase 1, recorded, is the steady state.
            for (int phase = 0; phase < 2; phase++) {
            if (phase == 1) {
                jfr.startAsync();
            }
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = 1 + t;
                    futures.add(executor.submit(() -> {
                        for (int r = 0; r < rounds; r++) {
                            try {
                                db.inTransaction(c -> {
                                    if (db.getConnection() != c) { // the unit is bound to this virtual thread
                                        bindingErrors.incrementAndGet();
                                    }
                                    try (PreparedStatement ps = c.prepareStatement(
                                            "UPDATE " + table + " SET n = n + 1 WHERE id = ?")) {
                                        ps.setInt(1, id);
                                        ps.executeUpdate();
                                    }
                                    try (Statement s = c.createStatement()) {
                                        s.execute("SELECT pg_sleep(0.0005)");
                                    }
                                    return null;
                                });
                                try (Connection c = db.getConnection();
                                     PreparedStatement ps = c.prepareStatement("SELECT n FROM " + table + " WHERE id = ?")) {
                                    ps.setInt(1, id);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                    }
                                }
                            } catch (SQLException e) {
                                failures.incrementAndGet();
                                errors.merge(e.getSQLState() + " " + e.getMessage(), 1, Integer::sum);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            }
            int total;
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT sum(n) FROM " + table)) {
                    rs.next();
                    total = rs.getInt(1);
                }
                s.execute("DROP TABLE " + table);
            }
            Thread.sleep(1500); // JFR streams in about one-second chunks
            System.out.printf("java %s: %d virtual threads x %d units + %d reads, twice (warm-up, then recorded), pool of 4; units committed %d; "
                            + "failures %d %s; unit binding errors %d; jdk.VirtualThreadPinned events %d, with a "
                            + "dev.bulwark frame %d%n", Runtime.version(), threads, rounds, rounds, total,
                    failures.get(), errors, bindingErrors.get(), pinEvents.get(), pinned.size());
            pinned.stream().forEach(p -> System.out.println("pinned " + p));
            boolean ok = pinned.isEmpty() && failures.get() == 0 && bindingErrors.get() == 0 && total == 2 * threads * rounds;
            System.out.println(ok ? "OK: Bulwark adds no pinning" : "FAILED");
            System.exit(ok ? 0 : 1);
        }
    }
}
