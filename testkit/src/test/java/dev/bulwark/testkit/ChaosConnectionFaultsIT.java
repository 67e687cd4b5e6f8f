package dev.bulwark.testkit;

import static dev.bulwark.testkit.ChaosDatabases.assertDriverError;
import static dev.bulwark.testkit.ChaosDatabases.count;
import static dev.bulwark.testkit.ChaosDatabases.insert;
import static dev.bulwark.testkit.ChaosDatabases.open;
import static dev.bulwark.testkit.ChaosDatabases.selectOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.testkit.TestDatabase.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Latency, closed connections and lost acknowledgements on each real database. */
class ChaosConnectionFaultsIT {

    private static final Duration LATENCY = Duration.ofMillis(150);

    @ParameterizedTest
    @EnumSource(Engine.class)
    void latencyDelaysAcquireExecuteAndCommitByAtLeastTheChosenDuration(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(5)
                    .on(ChaosRule.atAcquire().withCall(1).delay(LATENCY))
                    .on(ChaosRule.atExecute().withCall(1).delay(LATENCY))
                    .on(ChaosRule.atCommit().withCall(1).delay(LATENCY))
                    .build());
            long t0 = System.nanoTime();
            try (Connection c = chaos.getConnection()) {
                long t1 = System.nanoTime();
                c.setAutoCommit(false);
                insert(c, 1);
                long t2 = System.nanoTime();
                c.commit();
                long t3 = System.nanoTime();
                assertThat(Duration.ofNanos(t1 - t0)).isGreaterThanOrEqualTo(LATENCY);
                assertThat(Duration.ofNanos(t2 - t1)).isGreaterThanOrEqualTo(LATENCY);
                assertThat(Duration.ofNanos(t3 - t2)).isGreaterThanOrEqualTo(LATENCY);
            }
            assertThat(count(db, "id = 1")).isEqualTo(1);
            assertThat(chaos.injected()).extracting(InjectedFault::point)
                    .containsExactly(FaultPoint.ACQUIRE, FaultPoint.EXECUTE, FaultPoint.COMMIT);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void closedConnectionAtExecuteFailsWithTheDriversOwnError(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(6)
                    .on(ChaosRule.atExecute().withCall(2).closeConnection())
                    .build());
            try (Connection c = chaos.getConnection(); Statement s = c.createStatement()) {
                assertThat(s.executeQuery("SELECT 1").next()).isTrue();

                Throwable second = catchThrowable(() -> s.executeQuery("SELECT 1"));
                assertDriverError(second, engine);
                assertThat(c.isClosed()).isTrue();
                assertDriverError(catchThrowable(() -> selectOne(c)), engine);
            }
            assertThat(chaos.injected()).singleElement().satisfies(f -> {
                assertThat(f.action()).isInstanceOf(ChaosAction.CloseConnection.class);
                assertThat(f.sqlState()).isNull();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void closedConnectionAtAcquireHandsOutAConnectionWhoseFirstUseFails(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(7)
                    .on(ChaosRule.atAcquire().withCall(1).closeConnection())
                    .build());
            try (Connection stale = chaos.getConnection()) {
                assertDriverError(catchThrowable(() -> selectOne(stale)), engine);
            }
            try (Connection fresh = chaos.getConnection()) {
                assertThat(selectOne(fresh)).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void closedConnectionAtCommitFailsWithTheDriversErrorAndCommitsNothing(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(8)
                    .on(ChaosRule.atCommit().closeConnection())
                    .build());
            try (Connection c = chaos.getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                assertDriverError(catchThrowable(c::commit), engine);
            }
            assertThat(count(db, "id = 1")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void lostCommitAcknowledgementRaises08006ButTheRowIsCommitted(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(9)
                    .on(ChaosRule.atCommit().withCall(1).loseAcknowledgement())
                    .build());
            try (Connection c = chaos.getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                assertThatThrownBy(c::commit)
                        .isInstanceOf(SQLNonTransientConnectionException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
                assertThat(c.isClosed()).isTrue();
                assertDriverError(catchThrowable(() -> selectOne(c)), engine);
            }
            assertThat(count(db, "id = 1")).isEqualTo(1);
            assertThat(chaos.injected()).singleElement()
                    .satisfies(f -> assertThat(f.sqlState()).isEqualTo("08006"));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void lostAcknowledgementOfAnAutocommitWriteRaises08006ButTheRowIsThere(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(10)
                    .on(ChaosRule.atExecute().withSqlMatching("^INSERT").loseAcknowledgement())
                    .build());
            try (Connection c = chaos.getConnection()) {
                assertThatThrownBy(() -> insert(c, 2))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            }
            assertThat(count(db, "id = 2")).isEqualTo(1);
        }
    }
}
