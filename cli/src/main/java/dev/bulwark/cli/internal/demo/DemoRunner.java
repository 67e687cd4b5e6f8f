package dev.bulwark.cli.internal.demo;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.testkit.ChaosDataSource;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs the demo's workload once, with Bulwark or as plain JDBC, on a fresh bank, with the same seeded
 * faults injected between the connection pool and the database, where a real network or server fails:
 * <pre>
 * application ─▶ [Bulwark] ─▶ HikariCP (4 connections) ─▶ ChaosDataSource (faults) ─▶ database
 * </pre>
 * A connection broken there is seen by the pool as by a real failure: HikariCP evicts connections that
 * fail with a class 08 SQLState, and waits for new ones while the database refuses them.
 *
 * <p>Not thread-safe; one run at a time.
 */
final class DemoRunner {

    private final DemoDatabase database;
    private final Bank bank;
    private final DemoFaults faults;
    private final int threads;
    private final Duration duration;
    private final long seed;
    private final PrintWriter out;
    private final boolean terminal;

    DemoRunner(DemoDatabase database, Bank bank, DemoFaults faults, int threads, Duration duration, long seed,
               PrintWriter out, boolean terminal) {
        this.database = database;
        this.bank = bank;
        this.faults = faults;
        this.threads = threads;
        this.duration = duration;
        this.seed = seed;
        this.out = out;
        this.terminal = terminal;
    }

    /** The demo's Bulwark settings: defaults, plus the commit ledger SQLite needs to resolve lost commits. */
    static BulwarkConfig config() {
        return BulwarkConfig.builder().withName("demo")
                .withJdbc(JdbcConfig.builder().withCreateCommitLedger(true).build())
                // 4 threads behind a pool that waits 500 ms for a connection: judge the failure rate after 5 calls,
                // and stay open long enough to be seen on the progress line (the defaults are 10 and 100 ms)
                .withBreaker(BreakerConfig.builder().withMinimumCalls(5).withSlidingWindowSize(10)
                        .withWaitInOpenState(Duration.ofMillis(500)).build())
                .build();
    }

    /**
     * One run of the workload.
     *
     * @throws SQLException when the bank cannot be created or read (the database is unreachable)
     */
    RunResult run(boolean withBulwark) throws SQLException, InterruptedException {
        String label = withBulwark ? "with Bulwark" : "plain JDBC";
        DataSource db = database.newDatabase();
        bank.create(db);
        ChaosDataSource chaos = ChaosDataSource.wrap(db, faults.plan()); // the outage window starts now
        try (HikariDataSource pool = DemoDatabase.pool(withBulwark ? "demo-bulwark" : "demo-plain", chaos)) {
            DemoEvents events = new DemoEvents();
            Workload workload = new Workload(bank, threads, duration, seed);
            TransferClient client = withBulwark
                    ? new TransferClient.WithBulwark(Bulwark.builder(pool).withConfig(config())
                            .withListener(events).build(), bank)
                    : new TransferClient.Plain(pool, bank);
            out.println("Running " + label + " ...");
            out.flush();
            DemoEvents shown = withBulwark ? events : null;
            try (ProgressLine progress = new ProgressLine(out, terminal)) {
                progress.start(() -> status(workload, chaos, shown));
                workload.run(client);
                progress.finish(status(workload, chaos, shown));
            }
            RunResult.Check check = RunResult.Check.of(bank.expectedTotal(), bank.read(db), workload.outcomes());
            RunResult.BulwarkCounts counts = withBulwark ? new RunResult.BulwarkCounts(events.retries(),
                    events.rejected(), events.evicted(), events.breakerOpenings(), events.breakerNotClosed(),
                    events.resolved(CommitOutcome.COMMITTED), events.resolved(CommitOutcome.NOT_COMMITTED),
                    events.resolved(CommitOutcome.UNKNOWN)) : null;
            return new RunResult(label, workload.elapsed(), workload.count(Outcome.COMMITTED),
                    workload.count(Outcome.FAILED), workload.count(Outcome.REJECTED), workload.count(Outcome.UNKNOWN),
                    workload.failureKinds(), DemoFaults.countByKind(chaos), counts, check);
        }
    }

    private static String status(Workload w, ChaosDataSource chaos, DemoEvents events) {
        double seconds = w.elapsed().toNanos() / 1e9;
        long committed = w.count(Outcome.COMMITTED);
        String bulwark = events == null ? "no retries, no breaker"
                : String.format("retries %,d  breaker %-9s rejected %,d", events.retries(), events.breaker(),
                        events.rejected());
        return String.format("  %5.1fs  committed %,d  failed %,d  faults %,d  %s  %,.0f/s", seconds, committed,
                w.count(Outcome.FAILED) + w.count(Outcome.UNKNOWN), chaos.injected().size(), bulwark,
                seconds <= 0 ? 0.0 : committed / seconds);
    }
}
