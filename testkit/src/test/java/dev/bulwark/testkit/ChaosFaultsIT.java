package dev.bulwark.testkit;

import static dev.bulwark.testkit.ChaosDatabases.count;
import static dev.bulwark.testkit.ChaosDatabases.insert;
import static dev.bulwark.testkit.ChaosDatabases.open;
import static dev.bulwark.testkit.ChaosDatabases.selectOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testkit.TestDatabase.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which calls a plan selects, and the SQL errors it raises, on each real database. */
class ChaosFaultsIT {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void acquireRaisesTheChosenSqlStateVendorCodeAndClass(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(1)
                    .on(ChaosRule.atAcquire().withCall(1).fail(ChaosError.of("53300").withVendorCode(1040)
                            .withType(ChaosError.Type.TRANSIENT_CONNECTION)))
                    .build());

            assertThatThrownBy(chaos::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("seed 1").hasMessageContaining("ACQUIRE call #1")
                    .satisfies(e -> {
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("53300");
                        assertThat(((SQLException) e).getErrorCode()).isEqualTo(1040);
                    });
            try (Connection c = chaos.getConnection()) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
            assertThat(chaos.calls(FaultPoint.ACQUIRE)).isEqualTo(2);
            assertThat(chaos.injections(FaultPoint.ACQUIRE)).isEqualTo(1);
            assertThat(chaos.injected()).singleElement().satisfies(f -> {
                assertThat(f.point()).isEqualTo(FaultPoint.ACQUIRE);
                assertThat(f.call()).isEqualTo(1);
                assertThat(f.sqlState()).isEqualTo("53300");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void executeFailsOnlyForStatementsMatchingThePatternAndNothingReachesTheDatabase(Engine engine)
            throws Exception {
        try (TestDatabase db = open(engine)) {
            db.execute("CREATE TABLE audit (id INT PRIMARY KEY)");
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(2)
                    .on(ChaosRule.atExecute().withSqlMatching("(?i)insert\\s+into\\s+orders").fail("40001"))
                    .build());

            try (Connection c = chaos.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO audit (id) VALUES (1)");
                assertThatThrownBy(() -> insert(c, 1))
                        .isInstanceOf(SQLTransactionRollbackException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
                assertThatThrownBy(() -> s.executeUpdate("insert into ORDERS (id, note) values (2, 'x')"))
                        .isInstanceOf(SQLTransactionRollbackException.class);
            }
            assertThat(count(db, "1 = 1")).isZero();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertThat(s.executeQuery("SELECT count(*) FROM audit").next()).isTrue();
            }
            assertThat(chaos.injected()).extracting(InjectedFault::call).containsExactly(2L, 3L);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void onlyTheThirdExecuteFails(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(3)
                    .on(ChaosRule.atExecute().withCall(3).fail("57P01"))
                    .build());
            List<String> outcomes = new ArrayList<>();
            try (Connection c = chaos.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                for (int i = 0; i < 5; i++) {
                    try {
                        ps.executeQuery().close();
                        outcomes.add("ok");
                    } catch (SQLException e) {
                        outcomes.add(e.getSQLState());
                    }
                }
            }
            assertThat(outcomes).containsExactly("ok", "ok", "57P01", "ok", "ok");
            assertThat(chaos.calls(FaultPoint.EXECUTE)).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rateBasedCommitFailuresRepeatForTheSameSeed(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            List<Long> first = failedCommits(db, 99, 100);
            List<Long> second = failedCommits(db, 99, 200);
            List<Long> otherSeed = failedCommits(db, 100, 300);

            assertThat(first).isNotEmpty().hasSizeLessThan(20).isEqualTo(second);
            assertThat(otherSeed).isNotEqualTo(first);
            assertThat(count(db, "id > 100 AND id <= 120")).isEqualTo(20 - first.size());
        }
    }

    /** Twenty transactions through a plan failing 30 % of commits; returns the failed commit numbers. */
    private static List<Long> failedCommits(TestDatabase db, long seed, int firstId) throws SQLException {
        ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(seed)
                .on(ChaosRule.atCommit().withRate(0.3).fail("40001"))
                .build());
        List<Long> failed = new ArrayList<>();
        try (Connection c = chaos.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 1; i <= 20; i++) {
                insert(c, firstId + i);
                try {
                    c.commit();
                } catch (SQLTransactionRollbackException e) {
                    c.rollback();
                    failed.add((long) i);
                }
            }
        }
        assertThat(chaos.injected()).extracting(InjectedFault::call).isEqualTo(failed);
        return failed;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void timeWindowSelectsCallsByThePlansClock(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            MutableClock clock = new MutableClock();
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(4)
                    .withClock(clock)
                    .on(ChaosRule.atExecute().withWindow(Duration.ofSeconds(10), Duration.ofSeconds(20)).fail("55P03"))
                    .build());
            List<String> outcomes = new ArrayList<>();
            try (Connection c = chaos.getConnection()) {
                for (Duration step : List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofMillis(9999),
                        Duration.ofMillis(1))) {
                    clock.advance(step);
                    try {
                        selectOne(c);
                        outcomes.add("ok");
                    } catch (SQLException e) {
                        outcomes.add(e.getSQLState());
                    }
                }
            }
            assertThat(outcomes).containsExactly("ok", "55P03", "55P03", "ok");
            assertThat(chaos.injected()).extracting(InjectedFault::elapsed)
                    .containsExactly(Duration.ofSeconds(10), Duration.ofMillis(19999));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void statementBatchIsMatchedByTheSqlItWasGiven(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(14)
                    .on(ChaosRule.atExecute().withSqlMatching("VALUES \\(2,").fail("23505"))
                    .build());
            try (Connection c = chaos.getConnection(); Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO orders (id, note) VALUES (1, 'a')");
                s.addBatch("INSERT INTO orders (id, note) VALUES (2, 'b')");
                assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
                s.clearBatch();
                s.addBatch("INSERT INTO orders (id, note) VALUES (3, 'c')");
                assertThat(s.executeBatch()).containsExactly(1);
            }
            assertThat(count(db, "1 = 1")).isEqualTo(1);
        }
    }
}
