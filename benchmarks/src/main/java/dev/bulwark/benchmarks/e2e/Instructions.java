package dev.bulwark.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.benchmarks.jmh.StubPools;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A fixed number of operations per case, one client thread, for counting instructions: run under
 * {@code valgrind --tool=callgrind} with {@code --callgrind}, it zeroes callgrind's counters before each
 * case's measured operations and dumps them after ({@code callgrind_control}), labelled
 * {@code case=NAME ops=N}; {@code benchmarks/run} divides each dump's instruction count by its operations.
 * Every case is warmed up first, interleaved, so that the JIT has compiled the paths all cases share.
 * Without {@code --callgrind} it prints the client thread's CPU time per operation instead (noisier).
 *
 * <p>Cases, each the same work on every stack (one pooled connection, HikariCP):
 * <ul>
 *   <li>{@code pg.select.*}, {@code pg.mix.*}: {@link Workload} on loopback PostgreSQL, through raw HikariCP +
 *       pgjdbc, {@code Bulwark.wrap} and the {@code jdbc:bulwark:} driver;</li>
 *   <li>{@code pg.transfer.*}: one bank transfer (two updates, one transaction) hand-written on raw HikariCP,
 *       and as {@code inTransaction} with commit resolution {@code auto} (the default) and {@code off};</li>
 *   <li>{@code stub.*}: the JMH comparisons over the stub driver (acquire + close; prepare + execute + close;
 *       one-update unit hand-written against {@code inTransaction}, resolution off: the stub has no
 *       transaction ids).</li>
 * </ul>
 *
 * <pre>
 *   valgrind --tool=callgrind --smc-check=all-non-file java -cp benchmarks.jar \
 *       dev.bulwark.benchmarks.e2e.Instructions --callgrind [--ops=2000] [--warmup=20000] [--cases=REGEX]
 * </pre>
 */
public final class Instructions {

    private static final String STUB_UPDATE = "UPDATE accounts SET balance = balance + ? WHERE id = ?";
    private static final int ACCOUNTS = 10_000;

    /** One operation of a case. */
    @FunctionalInterface
    interface Op {
        void run(SplittableRandom random) throws SQLException;
    }

    private Instructions() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--callgrind")) {
                given.put("callgrind", "true");
            } else if (arg.startsWith("--") && arg.contains("=")) {
                given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("Instructions: unknown argument '" + arg
                        + "' (expected --callgrind, --ops=N, --warmup=N, --passes=N, --cases=REGEX, --url=, --user=, --password=)");
            }
        }
        boolean callgrind = given.containsKey("callgrind");
        int ops = Integer.parseInt(given.getOrDefault("ops", "2000"));
        int warmup = Integer.parseInt(given.getOrDefault("warmup", "20000"));
        int passes = Integer.parseInt(given.getOrDefault("passes", "2"));
        Predicate<String> selected = java.util.regex.Pattern.compile(given.getOrDefault("cases", ".*")).asPredicate();
        String url = given.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = given.getOrDefault("user", "postgres");
        String password = given.getOrDefault("password", "");

        List<Closeable> open = new ArrayList<>();
        Map<String, Op> cases = new LinkedHashMap<>();
        try (BenchSchema schema = BenchSchema.create(url, user, password, ACCOUNTS)) {
            String schemaUrl = schema.urlFor(url);
            for (Workload w : Workload.values()) {
                for (Variant v : List.of(Variant.RAW, Variant.BULWARK, Variant.DRIVER)) {
                    String name = "pg." + w.label() + "." + v.label();
                    if (selected.test(name)) {
                        Variant.Pool pool = v.open(schemaUrl, user, password, 1);
                        open.add(pool);
                        cases.put(name, r -> w.run(pool.dataSource(), r, ACCOUNTS));
                    }
                }
            }
            if (selected.test("pg.transfer.hand-raw")) {
                HikariDataSource raw = pgPool(schemaUrl, user, password, "hand");
                open.add(raw);
                cases.put("pg.transfer.hand-raw", r -> handWritten(raw, c -> transfer(c, r)));
            }
            for (CommitResolution resolution : List.of(CommitResolution.AUTO, CommitResolution.OFF)) {
                String name = "pg.transfer.unit-resolution-" + resolution.name().toLowerCase(Locale.ROOT);
                if (selected.test(name)) {
                    HikariDataSource hikari = pgPool(schemaUrl, user, password, name);
                    open.add(hikari);
                    BulwarkDataSource bulwark = Bulwark.wrap(hikari, BulwarkConfig.builder().withName(name)
                            .withJdbc(JdbcConfig.builder().withCommitResolution(resolution).build()).build());
                    cases.put(name, r -> bulwark.inTransaction(c -> transfer(c, r)));
                }
            }
            addStubCases(cases, open, selected);

            System.out.printf(Locale.ROOT, "instructions: %d cases, warm-up %,d operations each (interleaved), "
                    + "%d passes of %,d measured operations%n", cases.size(), warmup, passes, ops);
            SplittableRandom random = new SplittableRandom(17);
            int batch = Math.max(1, Math.min(1000, warmup / 10));
            for (int done = 0; done < warmup; done += batch) {
                for (Op op : cases.values()) {
                    for (int i = 0; i < batch; i++) {
                        op.run(random);
                    }
                }
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int pass = 1; pass <= passes; pass++) {
                for (Map.Entry<String, Op> e : cases.entrySet()) {
                    Op op = e.getValue();
                    if (callgrind) {
                        callgrind("-z");
                    }
                    long cpu = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        op.run(random);
                    }
                    cpu = threads.getCurrentThreadCpuTime() - cpu;
                    if (callgrind) {
                        callgrind("--dump=case=" + e.getKey() + " ops=" + ops + " pass=" + pass);
                    }
                    System.out.printf(Locale.ROOT, "  pass %d %-36s client thread CPU %,9.0f ns/op%n", pass,
                            e.getKey(), (double) cpu / ops);
                }
            }
        } finally {
            for (Closeable c : open) {
                c.close();
            }
        }
    }

    private static void addStubCases(Map<String, Op> cases, List<Closeable> open, Predicate<String> selected) {
        HikariDataSource rawPool = StubPools.hikari(1);
        open.add(rawPool);
        HikariDataSource bulwarkPool = StubPools.hikari(1);
        open.add(bulwarkPool);
        BulwarkDataSource bulwark = StubPools.bulwark(bulwarkPool);
        Map<String, DataSource> stacks = Map.of("raw", rawPool, "bulwark", bulwark);
        for (String stack : List.of("raw", "bulwark")) {
            DataSource ds = stacks.get(stack);
            put(cases, selected, "stub.acquire-close." + stack, r -> ds.getConnection().close());
            put(cases, selected, "stub.prepare-execute-close." + stack, r -> {
                try (Connection c = ds.getConnection()) {
                    for (int i = 0; i < 4; i++) { // amortise the acquisition: four statements a borrow
                        try (PreparedStatement ps = c.prepareStatement(STUB_UPDATE)) {
                            ps.executeUpdate();
                        }
                    }
                }
            });
        }
        put(cases, selected, "stub.unit.hand-raw", r -> handWritten(rawPool, Instructions::stubUpdate));
        put(cases, selected, "stub.unit.in-transaction", r -> bulwark.inTransaction(Instructions::stubUpdate));
    }

    private static void put(Map<String, Op> cases, Predicate<String> selected, String name, Op op) {
        if (selected.test(name)) {
            cases.put(name, op);
        }
    }

    private static int stubUpdate(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STUB_UPDATE)) {
            ps.setInt(1, 10);
            ps.setInt(2, 42);
            return ps.executeUpdate();
        }
    }

    /** One transfer between two accounts drawn from {@code random}: two updates. */
    private static int transfer(Connection c, SplittableRandom random) throws SQLException {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + random.nextInt(ACCOUNTS);
        int amount = random.nextInt(1, 100);
        try (PreparedStatement ps = c.prepareStatement(Workload.UPDATE_SQL)) {
            ps.setInt(1, -amount);
            ps.setInt(2, from);
            int n = ps.executeUpdate();
            ps.setInt(1, amount);
            ps.setInt(2, to);
            return n + ps.executeUpdate();
        }
    }

    /** Work on a connection, for the hand-written unit. */
    @FunctionalInterface
    interface SqlWork {
        int apply(Connection c) throws SQLException;
    }

    /** What an application writes without Bulwark: acquire, begin, work, commit (rollback on failure), restore. */
    private static int handWritten(DataSource ds, SqlWork work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static HikariDataSource pgPool(String url, String user, String password, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("instructions-" + name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /** Runs {@code callgrind_control ARG PID} on this process; fails loudly when it does not work. */
    private static void callgrind(String arg) throws IOException, InterruptedException {
        String pid = Long.toString(ProcessHandle.current().pid());
        Process p = new ProcessBuilder("callgrind_control", arg, pid).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || output.contains("No active callgrind")) {
            throw new IllegalStateException("callgrind_control " + arg + " failed (is this JVM under "
                    + "valgrind --tool=callgrind?): " + output.strip());
        }
    }
}
