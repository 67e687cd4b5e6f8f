package dev.bulwark.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.testkit.GaleraCluster;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Galera rows of the cluster table: the bank workload (4 threads, one transfer per transaction) on a real
 * three-node Galera cluster reached by a {@code jdbc:mariadb:sequential:} URL, HikariCP + MariaDB Connector/J
 * with their defaults (raw) against the same pool through {@code Bulwark.wrap} with a 2 s deadline per unit.
 * Per scenario and stack: time from the fault to the first good write (a transfer that started after the
 * fault and was acknowledged), the worst call, acknowledged transfers lost or applied twice, and transfers
 * reported failed although applied.
 *
 * <pre>
 * ./mvnw -q -ntp -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.e2e.GaleraTiming [--repeats=1] [--after=15]
 * </pre>
 */
public final class GaleraTiming {

    private static final int THREADS = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    enum Stack { RAW, BULWARK }

    enum Scenario {
        KILL_FIRST("first node of the sequential URL killed (kill -9)"),
        ISOLATE_FIRST("first node isolated (iptables): it loses quorum, answers 1047");

        final String label;

        Scenario(String label) {
            this.label = label;
        }
    }

    record Row(Scenario scenario, Stack stack, long firstGoodMillis, long worstMillis, BankLedger.Check check,
               double beforePerSecond) {
    }

    private GaleraTiming() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int repeats = Integer.parseInt(options.getOrDefault("repeats", "1"));
        int afterSeconds = Integer.parseInt(options.getOrDefault("after", "15"));
        List<Row> rows = new ArrayList<>();
        try (GaleraCluster galera = GaleraCluster.builder().withCommandTimeout(Duration.ofMinutes(5)).start()) {
            for (int r = 0; r < repeats; r++) {
                for (Scenario scenario : Scenario.values()) {
                    if (!options.getOrDefault("scenarios", "all").equals("all")
                            && !options.get("scenarios").contains(scenario.name())) {
                        continue;
                    }
                    for (Stack stack : Stack.values()) { // interleaved: raw, then Bulwark, per scenario
                        if (!options.getOrDefault("stacks", "all").equals("all")
                                && !options.get("stacks").contains(stack.name())) {
                            continue;
                        }
                        Row row = run(galera, scenario, stack, afterSeconds);
                        rows.add(row);
                        System.out.println(render(row));
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| scenario | stack | fault → first good write | worst call | acknowledged | lost | applied twice | "
                + "reported failed although applied | 08007 | money conserved | transfers/s before |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(row -> System.out.println(render(row)));
    }

    static String render(Row row) {
        BankLedger.Check c = row.check();
        return String.format(Locale.ROOT, "| %s | %s | %s | %.1f s | %d | %d | %d | %d | %d | %s | %.0f |",
                row.scenario().label, row.stack() == Stack.RAW ? "raw" : "Bulwark",
                row.firstGoodMillis() < 0 ? "none in the run" : String.format(Locale.ROOT, "%.2f s", row.firstGoodMillis() / 1000.0),
                row.worstMillis() / 1000.0, c.acknowledged(), c.lost(), c.duplicated(), c.misreported(), c.unknown(),
                c.totalBalance() == c.expectedTotal() ? "yes" : "NO", row.beforePerSecond());
    }

    static Row run(GaleraCluster galera, Scenario scenario, Stack stack, int afterSeconds) throws Exception {
        String name = "bank_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE).substring(0, 8);
        BankLedger ledger = new BankLedger(name);
        try (HikariDataSource admin = pool(galera.jdbcUrl(1), "admin-" + name, 2)) {
            ledger.create(admin);
            HikariDataSource hikari = pool(galera.sequentialJdbcUrl(), stack + "-" + name, THREADS * 2);
            BankLedger.Transfer transfer;
            if (stack == Stack.RAW) {
                transfer = (id, from, to) -> {
                    try (Connection c = hikari.getConnection()) {
                        c.setAutoCommit(false);
                        ledger.apply(c, id, from, to);
                        c.commit();
                    }
                };
            } else {
                BulwarkDataSource db = Bulwark.wrap(hikari, BulwarkConfig.builder().withName("galera-" + name)
                        .withText("bulwark.jdbc.commitLedger.create", "true").build());
                TransactionOptions unit = TransactionOptions.builder().withDeadline(DEADLINE).build();
                transfer = (id, from, to) -> db.inTransaction(unit, c -> {
                    ledger.apply(c, id, from, to);
                    return null;
                });
            }
            long[] window = new long[2];
            try {
                List<Thread> threads = new ArrayList<>();
                long warmEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                long runEnds = warmEnds + Duration.ofSeconds(afterSeconds).toNanos();
                for (int t = 0; t < THREADS; t++) {
                    Thread thread = new Thread(() -> {
                        while (System.nanoTime() < runEnds) {
                            ledger.transferOnce(transfer, null);
                        }
                    }, "bank-" + t);
                    thread.start();
                    threads.add(thread);
                }
                Thread.sleep(Math.max(0, (warmEnds - System.nanoTime()) / 1_000_000));
                window[0] = System.nanoTime();
                switch (scenario) {
                    case KILL_FIRST -> galera.kill(0);
                    case ISOLATE_FIRST -> galera.isolate(0);
                }
                for (Thread thread : threads) {
                    thread.join();
                }
            } finally {
                hikari.close();
                switch (scenario) {
                    case KILL_FIRST -> galera.start(0);
                    case ISOLATE_FIRST -> {
                        galera.heal();
                        galera.awaitSynced(0);
                    }
                }
            }
            long fault = window[0];
            List<BankLedger.Call> calls = ledger.calls();
            long firstGood = calls.stream().filter(c -> c.startedNanos() >= fault)
                    .filter(c -> c.outcome() == BankLedger.Outcome.ACKNOWLEDGED)
                    .mapToLong(c -> c.endedNanos() - fault).min().orElse(-1_000_000L) / 1_000_000;
            long worst = calls.stream().mapToLong(BankLedger.Call::millis).max().orElse(0);
            long before = calls.stream().filter(c -> c.endedNanos() < fault && c.outcome() == BankLedger.Outcome.ACKNOWLEDGED).count();
            calls.stream().filter(c -> c.error() != null).map(BankLedger.Call::error)
                    .map(e -> e.lines().findFirst().orElse("")).map(e -> e.length() > 160 ? e.substring(0, 160) : e)
                    .distinct().limit(6)
                    .forEach(e -> System.out.println("  " + stack + " error: " + e));
            return new Row(scenario, stack, firstGood, worst, ledger.check(admin), before / 3.0);
        }
    }

    static HikariDataSource pool(String url, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername("root");
        config.setPassword("");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }
}
