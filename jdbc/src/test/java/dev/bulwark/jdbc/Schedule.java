package dev.bulwark.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One generated fault schedule: a database, a few units of work and the faults that meet them. Everything
 * follows from {@link #seed()}, so {@code -Dbulwark.test.schedule.seed=<seed>} runs the same schedule again.
 *
 * <p>A unit runs its statements in order; a fault bound to statement {@code k} fires on the unit's first
 * attempt just before statement {@code k} (0 = before the first; {@link Unit#statements()} = just before
 * COMMIT). Immutable.
 */
record Schedule(long seed, Target target, List<Unit> units) {

    /** Where a schedule runs. */
    enum Target {
        /** The shared PostgreSQL 15 behind a FaultProxy. */
        POSTGRES,
        /** The shared MariaDB 10.11 behind a FaultProxy. */
        MARIADB,
        /** A scratch PostgreSQL primary with a synchronous standby, behind a FaultProxy. */
        POSTGRES_SYNC
    }

    /** What a unit's work does. */
    enum Kind {
        /** Inserts its row and reads. */
        PLAIN,
        /** Inserts its row, then an inner unit inserts the child row and returns. */
        NESTED_OK,
        /** Inserts its row, then an inner unit inserts the child row and throws; the outer catches and goes on. */
        NESTED_FAIL,
        /** Declared read-only, only reads. */
        READ_ONLY_READS,
        /** Declared read-only but writes its row anyway (on PostgreSQL after {@code setReadOnly(false)}). */
        READ_ONLY_WRITES,
        /** Inserts its row, then sends a SQL-level {@code COMMIT}, then reads. */
        SQL_COMMIT,
        /** Inserts its row, then runs DDL (an implicit commit on MariaDB), then reads. */
        DDL,
        /** Inserts its row, then a statement fails and the work swallows the error and goes on. */
        SWALLOW,
        /**
         * Inserts its row, then meets a real deadlock with another session (MariaDB only, where InnoDB rolls the
         * whole transaction back), swallows the 1213 and goes on reading.
         */
        SWALLOW_DEADLOCK,
        /** Inserts its row and a row whose deferred trigger makes COMMIT slow (PostgreSQL only). */
        SLOW_COMMIT,
        /** Inserts its row in a batch together with a row the table's CHECK refuses: always fails. */
        BATCH_FAIL,
        /**
         * Not a unit: {@code getConnection()}, {@code setAutoCommit(false)}, insert, read, {@code commit()},
         * as Spring's transaction manager, Flyway and every {@code jdbc:bulwark:} user do.
         */
        PLAIN_CONNECTION
    }

    /** What goes wrong. */
    enum FaultKind {
        /** The proxy cuts the connection right after COMMIT reached the server. */
        COMMIT_CUT,
        /** The proxy forwards nothing (open and new connections) for {@link Fault#duration()}. */
        FREEZE,
        /** The server ends the unit's session ({@code pg_terminate_backend}, {@code KILL CONNECTION}). */
        SESSION_KILL,
        /** The synchronous standby is frozen (SIGSTOP), so COMMIT waits in SyncRep (POSTGRES_SYNC only). */
        STANDBY_STALL,
        /** The work fails with 40001, and the following rollback fails without rolling back. */
        FAILED_ROLLBACK,
        /** The physical connection's close throws a RuntimeException (after closing it). */
        FAILED_CLOSE,
        /** Another thread holds every pooled connection for {@link Fault#duration()}. */
        POOL_EXHAUSTED
    }

    /** A fault bound to a unit's statement, lasting {@code duration} where that applies. */
    record Fault(FaultKind kind, int atStatement, Duration duration) {
        @Override
        public String toString() {
            return kind + "@" + atStatement + (duration.isZero() ? "" : "/" + duration.toMillis() + "ms");
        }
    }

    /**
     * One unit: its identity (the ledger row id; a nested child uses {@code id + 1}), kind, deadline and faults.
     * {@code slowCommit} is how long its COMMIT's deferred trigger sleeps (SLOW_COMMIT only).
     */
    record Unit(long id, Kind kind, Duration deadline, Duration slowCommit, List<Fault> faults) {

        /** How many statements the work runs after it has read its session id. */
        int statements() {
            return statementsOf(kind);
        }

        boolean writes() {
            return kind != Kind.READ_ONLY_READS;
        }

        boolean hasChild() {
            return kind == Kind.NESTED_OK || kind == Kind.NESTED_FAIL;
        }

        boolean faultFree() {
            return faults.isEmpty();
        }

        @Override
        public String toString() {
            return "#" + id + " " + kind + (kind == Kind.SLOW_COMMIT ? "(" + slowCommit.toMillis() + "ms)" : "")
                    + " deadline " + deadline.toMillis() + "ms" + (faults.isEmpty() ? "" : " " + faults);
        }
    }

    /** Generates the schedule of {@code seed}: 1 to 4 units, at most one fault per unit, most units with one. */
    static Schedule generate(long seed, List<Target> targets) {
        SplittableRandom r = new SplittableRandom(seed);
        Target target = targets.get(r.nextInt(targets.size()));
        int count = 1 + r.nextInt(4);
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Kind kind = pick(r, kinds(target));
            long id = Math.floorMod(seed, 1_000_000_000L) * 10 + i * 2L; // child rows use id + 1
            // PLAIN_CONNECTION has no deadline of its own: bulwark.timeout.total bounds each call (see the runner)
            Duration deadline = kind == Kind.PLAIN_CONNECTION ? ScheduleRunner.TOTAL
                    : Duration.ofMillis(2_000 + r.nextInt(1_001));
            Duration slow = kind == Kind.SLOW_COMMIT ? Duration.ofMillis(500 + r.nextInt(1_001)) : Duration.ZERO;
            List<Fault> faults = new ArrayList<>();
            if (r.nextInt(10) < 7) {
                FaultKind fault = pick(r, faults(target));
                int statements = statementsOf(kind);
                int at = fault == FaultKind.COMMIT_CUT ? statements : r.nextInt(statements + 1);
                Duration duration = switch (fault) {
                    case FREEZE -> r.nextBoolean() ? Duration.ofMillis(300 + r.nextInt(1_500)) : Duration.ofSeconds(20);
                    case POOL_EXHAUSTED -> Duration.ofMillis(300 + r.nextInt(4_000));
                    default -> Duration.ZERO;
                };
                faults.add(new Fault(fault, at, duration));
            }
            units.add(new Unit(id, kind, deadline, slow, List.copyOf(faults)));
        }
        return new Schedule(seed, target, List.copyOf(units));
    }

    private static int statementsOf(Kind kind) {
        return switch (kind) {
            case PLAIN, NESTED_OK, NESTED_FAIL, READ_ONLY_WRITES, SLOW_COMMIT, BATCH_FAIL, PLAIN_CONNECTION -> 2;
            case READ_ONLY_READS -> 1;
            case SQL_COMMIT, DDL, SWALLOW, SWALLOW_DEADLOCK -> 3;
        };
    }

    private static List<Kind> kinds(Target target) {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
        if (target == Target.MARIADB) {
            kinds.remove(Kind.SLOW_COMMIT);
        } else {
            kinds.remove(Kind.SWALLOW_DEADLOCK);
        }
        return kinds;
    }

    private static List<FaultKind> faults(Target target) {
        List<FaultKind> faults = new ArrayList<>(List.of(FaultKind.values()));
        if (target != Target.POSTGRES_SYNC) {
            faults.remove(FaultKind.STANDBY_STALL);
        } else {
            faults.add(FaultKind.STANDBY_STALL); // the scratch cluster is there for it: twice the weight
        }
        return faults;
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    @Override
    public String toString() {
        return "schedule " + seed + " on " + target + ": " + units;
    }
}
