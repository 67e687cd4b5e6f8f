package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.ReadToken;
import dev.bulwark.jdbc.cluster.Replicas;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Read-your-writes (docs/clusters.md) on a real PostgreSQL primary and asynchronous standby, over generated
 * interleavings of writes and read-only units on three threads, tokens handed between threads (thread-bound by
 * {@link ClusterDataSource#adopt}, per call by {@code inTransaction(token, ...)}, through their text form), and the
 * standby's replay paused and resumed: every read-only unit sees every write its thread made or was handed.
 */
class ReadYourWritesProperties {

    private static final int THREADS = 3;
    private static final TransactionOptions READ = TransactionOptions.builder().withReadOnly(true).build();
    private static PostgresCluster primary;
    private static PostgresCluster standby;
    private static HikariDataSource primaryPool;
    private static HikariDataSource standbyPool;
    private static ClusterDataSource db;
    private static final String TABLE = "ryw_" + Long.toHexString(System.nanoTime());
    private static final AtomicLong IDS = new AtomicLong();
    private static final AtomicInteger ON_REPLICA = new AtomicInteger();
    private static final AtomicInteger ON_PRIMARY = new AtomicInteger();
    private static final AtomicInteger READS = new AtomicInteger();

    private ExecutorService[] threads;

    @BeforeContainer
    static void startCluster() throws SQLException {
        primary = PostgresCluster.builder().start();
        standby = primary.createStandby();
        primaryPool = ScenarioPool.pool(primary.jdbcUrl(), primary, "ryw-primary", 4);
        standbyPool = ScenarioPool.pool(standby.jdbcUrl(), standby, "ryw-standby", 4);
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY)");
        }
        db = Bulwark.wrap(primaryPool, Replicas.of(standbyPool), ClusterRoutingIT.config("ryw"));
        ClusterRoutingIT.awaitReplicaQualifies(db);
    }

    @AfterContainer
    static void stopCluster() {
        for (AutoCloseable c : new AutoCloseable[] {db, standbyPool, primaryPool, standby, primary}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // going on with the others
            }
        }
        // Not a vacuous pass: reads ran on the replica, and some were sent to the primary.
        assertThat(ON_REPLICA.get()).as("reads on the replica, of %d", READS.get()).isPositive();
        assertThat(ON_PRIMARY.get()).as("reads on the primary, of %d", READS.get()).isPositive();
    }

    sealed interface Op permits Write, Read, HandOff, ReadWith, Pause, Resume {
    }

    record Write(int thread) implements Op {
    }

    record Read(int thread) implements Op {
    }

    /** Thread {@code from}'s token, through its text form, adopted by thread {@code to}. */
    record HandOff(int from, int to) implements Op {
    }

    /** Thread {@code to} reads with thread {@code from}'s token given to this one unit. */
    record ReadWith(int from, int to) implements Op {
    }

    record Pause() implements Op {
    }

    record Resume() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> schedules() {
        Arbitrary<Integer> thread = Arbitraries.integers().between(0, THREADS - 1);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, thread.map(Write::new)),
                net.jqwik.api.Tuple.of(6, thread.map(Read::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(thread, thread).as(HandOff::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(thread, thread).as(ReadWith::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Pause())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Resume())));
        return op.list().ofMinSize(4).ofMaxSize(16);
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void everyReadOnlyUnitSeesTheWritesOfItsThreadAndOfTheTokensItWasGiven(@ForAll("schedules") List<Op> ops)
            throws Exception {
        threads = new ExecutorService[THREADS];
        List<Set<Long>> expected = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads[i] = Executors.newSingleThreadExecutor();
            expected.add(new HashSet<>());
        }
        for (Op op : ops) {
            if (op instanceof Write w) {
                long id = IDS.incrementAndGet();
                on(w.thread(), () -> db.inTransaction(c -> {
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate("INSERT INTO " + TABLE + " VALUES (" + id + ")");
                    }
                }));
                expected.get(w.thread()).add(id);
            } else if (op instanceof Read r) {
                Set<Long> mustSee = Set.copyOf(expected.get(r.thread()));
                on(r.thread(), () -> db.inTransaction(READ, c -> check(c, mustSee, op)));
            } else if (op instanceof HandOff h) {
                String text = on(h.from(), () -> db.readToken().toString());
                on(h.to(), () -> {
                    db.adopt(ReadToken.parse(text));
                    return null;
                });
                expected.get(h.to()).addAll(expected.get(h.from()));
            } else if (op instanceof ReadWith rw) {
                ReadToken token = on(rw.from(), () -> db.readToken());
                Set<Long> mustSee = new HashSet<>(expected.get(rw.from()));
                mustSee.addAll(expected.get(rw.to()));
                on(rw.to(), () -> db.inTransaction(token, READ, c -> check(c, mustSee, op)));
            } else {
                replay(op instanceof Pause ? "pg_wal_replay_pause()" : "pg_wal_replay_resume()");
            }
        }
    }

    @AfterTry
    void endTry() throws Exception {
        replay("pg_wal_replay_resume()");
        if (threads != null) {
            for (ExecutorService t : threads) {
                t.shutdown();
                t.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Void check(Connection c, Set<Long> mustSee, Op op) throws SQLException {
        READS.incrementAndGet();
        boolean replica;
        long seen;
        try (PreparedStatement s = c.prepareStatement("SELECT pg_is_in_recovery(), (SELECT count(*) FROM " + TABLE
                + " WHERE id = ANY(?))")) {
            Array ids = c.createArrayOf("bigint", mustSee.toArray());
            s.setArray(1, ids);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                replica = rs.getBoolean(1);
                seen = rs.getLong(2);
            }
        }
        (replica ? ON_REPLICA : ON_PRIMARY).incrementAndGet();
        assertThat(seen).as("%s on the %s saw %d of the %d writes it must see", op, replica ? "replica" : "primary",
                seen, mustSee.size()).isEqualTo(mustSee.size());
        return null;
    }

    private <T> T on(int thread, Callable<T> body) throws Exception {
        try {
            return threads[thread].submit(body).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw (Error) e.getCause();
        }
    }

    private static void replay(String call) throws SQLException {
        try (Connection c = standby.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT " + call);
        }
    }
}
