package dev.bulwark.core;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard against real PostgreSQL faults, classified by SQLState class in the test. */
class GuardIT {

    private final FakeTime time = new FakeTime();
    private final RecordingListener listener = new RecordingListener();
    private TestDatabase db;
    private Guard guard;

    @BeforeEach
    void setUp() throws SQLException {
        db = TestDatabases.postgres();
        db.execute("CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL)",
                "INSERT INTO account VALUES (1, 100)");
        // A breaker that opens on the first counted fault, so counting shows in its state.
        BulwarkConfig config = BulwarkConfig.builder().withName("pg-it")
                .withBreaker(BreakerConfig.builder().withSlidingWindowSize(1).withMinimumCalls(1)
                        .withFailureRateThreshold(100).withWaitInOpenState(Duration.ofMillis(1)).build())
                .build();
        // Each backoff takes at least 2 ms of fake time, so the 1 ms open wait has always passed at the retry.
        guard = Guard.builder(config).withClassifier(new SqlStateClassifier()).withTicker(time)
                .withSleeper(delay -> time.sleep(delay.plusMillis(2))).withListener(listener).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void realConstraintViolationIsNeitherRetriedNorCounted() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.execute(context -> {
            attempts.incrementAndGet();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO account VALUES (1, 5)");
            }
        })).isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "23505");

        assertThat(attempts).hasValue(1);
        assertThat(guard.breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(listener.events).isEmpty();
    }

    @Test
    void realSerializationFailureIsRetriedAndTheRetrySucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int inserted = guard.execute(context -> {
            attempts.incrementAndGet();
            try (Connection mine = db.connect(); Connection rival = db.connect()) {
                if (context.attempt() == 1) {
                    // Write skew between two SERIALIZABLE transactions: the second commit fails with 40001.
                    begin(rival, "SELECT sum(balance) FROM account WHERE id = 1", "INSERT INTO account VALUES (3, 1)");
                    begin(mine, "SELECT sum(balance) FROM account WHERE id = 3", "INSERT INTO account VALUES (2, 1)");
                    rival.commit();
                    mine.commit();
                    return 1;
                }
                begin(mine, "SELECT sum(balance) FROM account WHERE id = 3", "INSERT INTO account VALUES (2, 1)");
                mine.commit();
                return 1;
            }
        });

        assertThat(inserted).isEqualTo(1);
        assertThat(attempts).hasValue(2);
        assertThat(listener.of(PolicyEvent.RetryScheduled.class)).singleElement()
                .satisfies(e -> assertThat(e.fault().sqlState()).isEqualTo("40001"));
        assertThat(count("SELECT count(*) FROM account")).isEqualTo(3);
        assertThat(guard.breakerState()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void realTerminatedConnectionIsRetriedOnANewConnectionAndCounted() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int balance = guard.execute(context -> {
            attempts.incrementAndGet();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                if (context.attempt() == 1) {
                    int pid = single(s, "SELECT pg_backend_pid()");
                    try (Connection admin = db.connect(); Statement a = admin.createStatement()) {
                        a.execute("SELECT pg_terminate_backend(" + pid + ")");
                    }
                }
                return single(s, "SELECT balance FROM account WHERE id = 1");
            }
        });

        assertThat(balance).isEqualTo(100);
        assertThat(attempts).hasValue(2);
        assertThat(listener.of(PolicyEvent.RetryScheduled.class)).singleElement()
                .satisfies(e -> assertThat(e.fault().kind()).isEqualTo(FaultKind.CONNECTION));
        // The connection fault counted and opened the one-call breaker; the retry was its half-open probe.
        assertThat(listener.of(PolicyEvent.BreakerTransition.class)).extracting(PolicyEvent.BreakerTransition::to)
                .containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
    }

    private static void begin(Connection c, String read, String write) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        try (Statement s = c.createStatement()) {
            s.executeQuery(read).close();
            s.executeUpdate(write);
        }
    }

    private static int single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private int count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            return single(s, sql);
        }
    }
}
