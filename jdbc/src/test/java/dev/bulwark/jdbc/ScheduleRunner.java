package dev.bulwark.jdbc;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.jdbc.Schedule.Fault;
import dev.bulwark.jdbc.Schedule.FaultKind;
import dev.bulwark.jdbc.Schedule.Kind;
import dev.bulwark.jdbc.Schedule.Unit;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one {@link Schedule} on its {@link ScheduleTarget} and checks the promise after each unit:
 * what the caller was told (committed, 08007, failed) against the rows in the database, the unit's wall time
 * against its deadline plus {@link #SLACK}, and the type and SQLState of whatever it threw.
 */
final class ScheduleRunner {

    /**
     * How far past its deadline a unit may return: docs/transactions.md, "a unit whose commit acknowledgement is
     * lost returns by its deadline plus one second" (the commit grace), plus 0.5 s for scheduling noise on a
     * loaded 2-core machine (the same allowance as CommitDeadlineIT's).
     */
    static final Duration SLACK = Duration.ofMillis(1_500);

    /**
     * What a fault-free SLOW_COMMIT unit must have left of its deadline after its deferred trigger's sleep to be
     * held to committing: the resolver's growing pause between polls and its fresh connection on a loaded machine.
     * A commit that cannot land before the deadline is {@code 08007} and lands later (docs/transactions.md, "What
     * resolution ends": "a commit that lands within the budget is reported committed, exactly once; one that does
     * not is 08007, and it goes on and may still land").
     */
    static final Duration SLOW_COMMIT_ROOM = Duration.ofSeconds(1);

    /** {@code bulwark.timeout.total}: the deadline of each call on a plain (non-unit) connection. */
    static final Duration TOTAL = Duration.ofSeconds(3);

    /**
     * {@code bulwark.timeout.network}, lowered from its one-minute default so that a call that ignores its
     * deadline costs the run 10 s, not a minute; it is still far past any deadline plus slack, so it is seen.
     */
    static final Duration NETWORK = Duration.ofSeconds(10);

    /** What the caller was told. */
    enum Report { COMMITTED, UNKNOWN_08007, FAILED }

    /** A broken promise: its category, the schedule that broke it, and what was seen. */
    record Violation(String category, long seed, String detail) {
        @Override
        public String toString() {
            return category + " [seed " + seed + "] " + detail;
        }
    }

    /** What one schedule did. */
    record Result(List<Violation> violations, int units, int unknown, long maxOverrunMillis, String log) {
    }

    /** Thrown by the inner unit of NESTED_FAIL: the application's own failure. */
    static final class AppFailure extends RuntimeException {
        AppFailure() {
            super("the inner unit's own failure");
        }
    }

    private final Schedule schedule;
    private final ScheduleTarget target;
    private final BulwarkDataSource ds;
    private final List<Violation> violations = new ArrayList<>();
    private final StringBuilder log = new StringBuilder();
    /** Fault-free slow commits answered 08007 because they could not land before the deadline. */
    private final List<Unit> lateCommits = new ArrayList<>();
    private int unknown;
    private long maxOverrun = Long.MIN_VALUE;

    ScheduleRunner(Schedule schedule, ScheduleTarget target) {
        this.schedule = schedule;
        this.target = target;
        // A fresh Bulwark per schedule (fresh breaker and budget) over the target's long-lived pool. The commit
        // timeout is short so that SLOW_COMMIT units outlast it, as in issue 12 item 2; a user may set it so.
        BulwarkConfig config = BulwarkConfig.builder().withName("schedule-" + schedule.seed())
                .withTimeouts(TimeoutConfig.builder().withCommit(Duration.ofSeconds(1)).withTotal(TOTAL)
                        .withNetwork(NETWORK).build())
                .withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.AUTO)
                        .withCreateCommitLedger(true).build())
                .build();
        this.ds = Bulwark.wrap(target.dataSource, config);
    }

    Result run() throws Exception {
        List<Report> reports = new ArrayList<>();
        boolean faultSeen = false;
        for (Unit unit : schedule.units()) {
            clean(unit);
            Report report = runUnit(unit, faultSeen);
            reports.add(report);
            faultSeen |= !unit.faultFree();
        }
        target.settle();
        probe();
        target.settle();
        for (int i = 0; i < reports.size(); i++) {
            checkRows(schedule.units().get(i), reports.get(i));
        }
        return new Result(List.copyOf(violations), schedule.units().size(), unknown, maxOverrun, log.toString());
    }

    private void clean(Unit unit) throws SQLException {
        // Seeds repeat across runs (jqwik's database replays failures first): start from no rows.
        try (Connection c = target.direct(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + ScheduleTarget.LEDGER + " WHERE id IN (" + unit.id() + ", "
                    + (unit.id() + 1) + ")");
        }
    }

    private Report runUnit(Unit unit, boolean faultSeen) throws Exception {
        Fault fault = unit.faults().isEmpty() ? null : unit.faults().get(0);
        TransactionOptions options = TransactionOptions.builder().withDeadline(unit.deadline())
                .withReadOnly(unit.kind() == Kind.READ_ONLY_READS || unit.kind() == Kind.READ_ONLY_WRITES).build();
        AtomicInteger attempts = new AtomicInteger();
        UnitFaults faults = new UnitFaults(target, fault);
        Report report;
        Throwable thrown = null;
        if (fault != null && fault.kind() == FaultKind.POOL_EXHAUSTED) {
            faults.exhaustPool();
            checkHealthWhileSaturated(unit, faults);
        }
        Deadlock.takeClientWaitNanos(); // nothing left from an earlier unit
        long start = System.nanoTime();
        long elapsed;
        try {
            if (unit.kind() == Kind.PLAIN_CONNECTION) {
                plainConnection(unit, options, attempts, faults);
            } else {
                ds.inTransaction(options, c -> work(c, unit, options, attempts, faults));
            }
            elapsed = (System.nanoTime() - start) / 1_000_000;
            report = Report.COMMITTED;
        } catch (Throwable t) {
            elapsed = (System.nanoTime() - start) / 1_000_000;
            thrown = t;
            report = t instanceof SQLException e && "08007".equals(e.getSQLState()) ? Report.UNKNOWN_08007 : Report.FAILED;
        } finally {
            faults.end();
        }
        if (unit.kind() == Kind.PLAIN_CONNECTION) {
            elapsed = faults.longestCall; // each call has the whole bulwark.timeout.total
        }
        // The work's own client-side waits (the deadlock helper waiting for its peer) are the work's time.
        long clientWaitMillis = Deadlock.takeClientWaitNanos() / 1_000_000;
        long overrun = elapsed - clientWaitMillis - unit.deadline().toMillis();
        maxOverrun = Math.max(maxOverrun, overrun);
        log.append(String.format("  %s -> %s in %d ms, %d attempt(s)%s%n", unit, report, elapsed, attempts.get(),
                thrown == null ? "" : ": " + describe(thrown)));
        if (report == Report.UNKNOWN_08007) {
            unknown++;
        }
        if (overrun > SLACK.toMillis()) {
            violate("DEADLINE", unit + (unit.kind() == Kind.PLAIN_CONNECTION ? ": its longest call took " : " took ")
                    + elapsed + " ms, " + overrun + " ms past its deadline (slack "
                    + SLACK.toMillis() + " ms; the work's last attempt ended "
                    + (faults.workEndedNanos == 0 ? "never" : (faults.workEndedNanos - start) / 1_000_000 + " ms")
                    + " into the unit): " + report + (thrown == null ? "" : " " + describe(thrown)));
        }
        if (thrown != null) {
            checkClassified(unit, thrown);
        }
        // A row committed by a SQL-level COMMIT before the standby froze was replicated; the unit's own COMMIT
        // then needs no acknowledgement. Only a unit whose row waited for the frozen standby is held to this.
        boolean rowWaitedForStandby = unit.writes()
                && !(unit.kind() == Kind.SQL_COMMIT && fault != null && fault.atStatement() >= 2);
        if (faults.standbyFrozen && report == Report.COMMITTED && rowWaitedForStandby) {
            violate("UNREPLICATED_COMMIT", unit + " reported committed while its synchronous standby was frozen"
                    + " (never acknowledged): a failover loses it");
        }
        if (unit.kind() == Kind.PLAIN_CONNECTION && report == Report.UNKNOWN_08007 && !faults.commitCalled) {
            violate("NEEDLESS_08007", unit + ": 08007 before commit() was called, though a transaction that was never"
                    + " committed is rolled back by the server: " + describe(thrown));
        }
        if (faults.committed && report != Report.COMMITTED) {
            // commit() returned on a plain connection; only close() failed afterwards
            report = Report.COMMITTED;
        }
        boolean commitOutlastsDeadline = false;
        if (unit.kind() == Kind.SLOW_COMMIT && unit.faultFree() && faults.commitSentNanos != 0) {
            long landsAt = (faults.commitSentNanos - start) / 1_000_000 + unit.slowCommit().toMillis();
            commitOutlastsDeadline = landsAt + SLOW_COMMIT_ROOM.toMillis() > unit.deadline().toMillis();
            log.append(String.format("    COMMIT sent %d ms into the unit: lands at about %d ms of %d%s%n",
                    (faults.commitSentNanos - start) / 1_000_000, landsAt, unit.deadline().toMillis(),
                    commitOutlastsDeadline ? " (no room to resolve it within the deadline: 08007 allowed)" : ""));
        }
        if (unit.faultFree() && report != Report.COMMITTED && mustCommit(unit.kind())
                && !(thrown instanceof CircuitOpenException && faultSeen)
                && !(commitOutlastsDeadline && report == Report.UNKNOWN_08007)) {
            violate("LIVENESS", unit + " met no fault on a healthy database but did not commit: " + describe(thrown));
        }
        if (commitOutlastsDeadline && report == Report.UNKNOWN_08007) {
            lateCommits.add(unit); // its COMMIT goes on on a healthy server: checked to have landed, once
        }
        return report;
    }

    /**
     * While another thread holds every pooled connection of a healthy database, health must not say DOWN: a busy
     * pool is not a sick database (issue 12 item 17). Checked only while the holder still holds them.
     */
    private void checkHealthWhileSaturated(Unit unit, UnitFaults faults) {
        if (faults.holding()) {
            Health health = ds.health();
            if (faults.holding() && health.status() == Health.Status.DOWN) {
                violate("SATURATION_AS_OUTAGE", unit + ": health() says DOWN while the pool is merely exhausted on a"
                        + " healthy database: " + health.toJson());
            }
        }
    }

    /** Kinds that the new semantics must let commit when nothing goes wrong. */
    private static boolean mustCommit(Kind kind) {
        return switch (kind) {
            case PLAIN, NESTED_OK, READ_ONLY_READS, SLOW_COMMIT, PLAIN_CONNECTION -> true;
            default -> false;
        };
    }

    private void checkClassified(Unit unit, Throwable thrown) {
        if (!(thrown instanceof SQLException e)) {
            violate("UNCLASSIFIED", unit + " threw " + describe(thrown) + ", not an SQLException");
        } else if (e.getSQLState() == null) {
            violate("UNCLASSIFIED", unit + " threw an SQLException without SQLState: " + describe(thrown));
        }
    }

    /**
     * The application's own transaction on a plain connection: the commit is its own, under Bulwark's wrapper.
     * Each call is bounded by {@code bulwark.timeout.total} on its own, so {@code faults.longestCall} (not the
     * sum) is held to {@link #TOTAL} plus the slack.
     */
    private void plainConnection(Unit unit, TransactionOptions options, AtomicInteger attempts, UnitFaults faults)
            throws SQLException {
        Connection c = faults.timed(ds::getConnection);
        try {
            faults.timed(() -> {
                c.setAutoCommit(false);
                return null;
            });
            try {
                faults.timed(() -> work(c, unit, options, attempts, faults));
                faults.commitCalled = true;
                faults.timed(() -> {
                    c.commit();
                    return null;
                });
                faults.committed = true;
            } catch (SQLException | RuntimeException e) {
                try {
                    faults.timed(() -> {
                        c.rollback(); // what every application does after a failed transaction
                        return null;
                    });
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } finally {
            faults.timed(() -> {
                c.close();
                return null;
            });
        }
    }

    private Object work(Connection c, Unit unit, TransactionOptions options, AtomicInteger attempts, UnitFaults faults)
            throws SQLException {
        try {
            return workOnce(c, unit, options, attempts, faults);
        } finally {
            faults.workEndedNanos = System.nanoTime();
        }
    }

    private Object workOnce(Connection c, Unit unit, TransactionOptions options, AtomicInteger attempts,
                            UnitFaults faults) throws SQLException {
        boolean first = attempts.incrementAndGet() == 1;
        if (unit.kind() == Kind.READ_ONLY_WRITES && target.postgresql()) {
            c.setReadOnly(false); // the adversary: undeclare read-only before anything reaches the server
        }
        long session;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(target.sessionIdSql())) {
            rs.next();
            session = rs.getLong(1);
        }
        for (int k = 0; k < unit.statements(); k++) {
            if (first) {
                faults.before(k, session);
            }
            statement(c, unit, options, k);
        }
        if (first) {
            faults.before(unit.statements(), session);
            faults.commitSentNanos = System.nanoTime();
        }
        return null;
    }

    private void statement(Connection c, Unit unit, TransactionOptions options, int k) throws SQLException {
        switch (unit.kind()) {
            case PLAIN, READ_ONLY_WRITES, PLAIN_CONNECTION -> {
                if (k == 0) {
                    insert(c, unit.id());
                } else {
                    read(c);
                }
            }
            case READ_ONLY_READS -> read(c);
            case NESTED_OK -> {
                if (k == 0) {
                    insert(c, unit.id());
                } else {
                    ds.inTransaction(options, inner -> insert(inner, unit.id() + 1));
                }
            }
            case NESTED_FAIL -> {
                if (k == 0) {
                    insert(c, unit.id());
                } else {
                    try {
                        ds.inTransaction(options, inner -> {
                            insert(inner, unit.id() + 1);
                            throw new AppFailure();
                        });
                    } catch (AppFailure expected) {
                        // the caller was told the inner unit failed, and goes on
                    }
                }
            }
            case SWALLOW_DEADLOCK -> {
                if (k == 0) {
                    insert(c, unit.id());
                } else if (k == 1) {
                    try {
                        Deadlock.meet(c, target);
                    } catch (SQLException swallowed) {
                        // the work swallows the deadlock and goes on
                    }
                } else {
                    read(c);
                }
            }
            case SQL_COMMIT, DDL, SWALLOW -> {
                if (k == 0) {
                    insert(c, unit.id());
                } else if (k == 2) {
                    read(c);
                } else if (unit.kind() == Kind.SQL_COMMIT) {
                    execute(c, "COMMIT");
                } else if (unit.kind() == Kind.DDL) {
                    execute(c, "TRUNCATE TABLE " + ScheduleTarget.AUX);
                } else {
                    try {
                        execute(c, "INSERT INTO sched_missing_table VALUES (1)");
                    } catch (SQLException swallowed) {
                        // the work swallows the error and goes on
                    }
                }
            }
            case SLOW_COMMIT -> {
                if (k == 0) {
                    insert(c, unit.id());
                } else {
                    execute(c, "INSERT INTO " + ScheduleTarget.SLOW + " VALUES (" + unit.slowCommit().toMillis() + ")");
                }
            }
            case BATCH_FAIL -> {
                if (k == 0) {
                    batch(c, unit);
                } else {
                    read(c);
                }
            }
            default -> throw new IllegalStateException(unit.kind().toString());
        }
    }

    private void batch(Connection c, Unit unit) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO " + ScheduleTarget.LEDGER + " (id) VALUES (" + unit.id() + ")");
            s.addBatch("INSERT INTO " + ScheduleTarget.CHECKED + " (x) VALUES (-1)");
            s.executeBatch();
        } catch (SQLException e) {
            if (!(e instanceof BatchUpdateException) && hasCause(e, BatchUpdateException.class)) {
                violate("BATCH_TYPE", unit + ": the driver's BatchUpdateException reached the work as "
                        + describe(e));
            }
            throw e;
        }
    }

    private static boolean hasCause(Throwable t, Class<?> type) {
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static int insert(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + ScheduleTarget.LEDGER + " (id) VALUES (?)")) {
            p.setLong(1, id);
            return p.executeUpdate();
        }
    }

    private static void read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ScheduleTarget.AUX)) {
            rs.next();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** After the faults are gone, a plain unit must commit within its deadline. */
    private void probe() throws SQLException {
        long id = schedule.units().get(0).id() + 9; // unused by the units (ids step by 2 from an even base)
        Unit probe = new Unit(id, Kind.PLAIN, Duration.ofSeconds(3), Duration.ZERO, List.of());
        clean(probe);
        long start = System.nanoTime();
        try {
            ds.inTransaction(TransactionOptions.builder().withDeadline(probe.deadline()).build(),
                    c -> insert(c, id));
            log.append(String.format("  probe -> COMMITTED in %d ms%n", (System.nanoTime() - start) / 1_000_000));
            if (target.count(id) != 1) {
                violate("EXACTLY_ONCE", "the probe unit reported committed but has " + target.count(id) + " rows");
            }
        } catch (Throwable t) {
            log.append(String.format("  probe -> FAILED: %s%n", describe(t)));
            violate("LIVENESS", "after every fault was cleared, a plain unit failed on a healthy database: " + describe(t));
        }
    }

    private void checkRows(Unit unit, Report report) throws SQLException {
        long rows = target.count(unit.id());
        long expectedIfCommitted = unit.writes() ? 1 : 0;
        check(unit, "its row", report, rows, expectedIfCommitted);
        if (lateCommits.contains(unit) && rows != 1) {
            violate("LATE_COMMIT_LOST", unit + " answered 08007 for a commit that outlasted its deadline on a healthy"
                    + " database, which must go on and land, yet its row is in the database " + rows + " time(s)");
        }
        if (unit.kind() == Kind.NESTED_OK) {
            check(unit, "the inner unit's row", report, target.count(unit.id() + 1), 1);
        } else if (unit.kind() == Kind.NESTED_FAIL) {
            long child = target.count(unit.id() + 1);
            if (child != 0) {
                violate("FAILED_BUT_COMMITTED", unit + ": the inner unit was reported failed, yet its row is in the"
                        + " database " + child + " time(s) (outer " + report + ")");
            }
        }
    }

    private void check(Unit unit, String what, Report report, long rows, long ifCommitted) {
        if (rows > 1) {
            violate("DUPLICATE", unit + " (" + report + "): " + what + " is in the database " + rows + " times");
            return;
        }
        switch (report) {
            case COMMITTED -> {
                if (rows != ifCommitted) {
                    violate("COMMITTED_BUT_ABSENT", unit + " reported committed, " + what + ": " + rows + " rows");
                }
            }
            case FAILED -> {
                if (rows != 0) {
                    violate("FAILED_BUT_COMMITTED", unit + " reported failed (not 08007), yet " + what
                            + " is in the database");
                }
            }
            case UNKNOWN_08007 -> {
                // 0 or 1 rows: both are honest answers to "unknown"; counted in Result.unknown
            }
            default -> throw new IllegalStateException(report.toString());
        }
    }

    private void violate(String category, String detail) {
        violations.add(new Violation(category, schedule.seed(), detail));
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "-";
        }
        String state = t instanceof SQLException e ? " [" + e.getSQLState() + "]" : "";
        String message = String.valueOf(t.getMessage());
        if (message.length() > 160) {
            message = message.substring(0, 160) + "...";
        }
        return t.getClass().getSimpleName() + state + " " + message.replace('\n', ' ');
    }
}
