package dev.bulwark.testkit;

import static dev.bulwark.testkit.ChaosDatabases.assertDriverError;
import static dev.bulwark.testkit.ChaosDatabases.open;
import static dev.bulwark.testkit.ChaosDatabases.selectOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.testkit.TestDatabase.Engine;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** What can only be seen on a server: backend sessions, and shared use by many threads. */
class ChaosPostgresIT {

    @Test
    void closedConnectionEndsTheBackendSession() throws Exception {
        try (TestDatabase db = open(Engine.POSTGRESQL)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(11)
                    .on(ChaosRule.atExecute().withCall(2).closeConnection())
                    .build());
            try (Connection c = chaos.getConnection()) {
                int pid;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                assertThat(sessionExists(db, pid)).isTrue();

                assertDriverError(catchThrowable(() -> selectOne(c)), Engine.POSTGRESQL);

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (sessionExists(db, pid) && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the backend exits asynchronously after the socket closes
                }
                assertThat(sessionExists(db, pid)).as("backend %d still in pg_stat_activity", pid).isFalse();
            }
        }
    }

    private static boolean sessionExists(TestDatabase db, int pid) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    @Test
    void callsFromManyThreadsAreEachCountedOnce() throws Exception {
        try (TestDatabase db = open(Engine.POSTGRESQL)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(12)
                    .on(ChaosRule.atExecute().withEvery(10).fail("40P01"))
                    .build());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> failures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    failures.add(pool.submit(() -> {
                        int failed = 0;
                        try (Connection c = chaos.getConnection()) {
                            for (int i = 0; i < 25; i++) {
                                try {
                                    selectOne(c);
                                } catch (SQLException e) {
                                    failed++;
                                }
                            }
                        }
                        return failed;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : failures) {
                    total += f.get(30, TimeUnit.SECONDS);
                }
                assertThat(total).isEqualTo(10);
            } finally {
                pool.shutdownNow();
            }
            assertThat(chaos.calls(FaultPoint.EXECUTE)).isEqualTo(100);
            assertThat(chaos.calls(FaultPoint.ACQUIRE)).isEqualTo(4);
            assertThat(chaos.injected()).extracting(InjectedFault::call)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).map(n -> n * 10).boxed().toList());
        }
    }

    @Test
    void firstMatchingRuleWinsAndLaterRulesKeepCounting() throws Exception {
        try (TestDatabase db = open(Engine.POSTGRESQL)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(13)
                    .on(ChaosRule.atExecute().withCall(2).fail("40001"))
                    .on(ChaosRule.atExecute().withEvery(2).withLimit(2).fail("57P01"))
                    .build());
            List<String> outcomes = new ArrayList<>();
            try (Connection c = chaos.getConnection()) {
                for (int i = 0; i < 8; i++) {
                    try {
                        selectOne(c);
                        outcomes.add("ok");
                    } catch (SQLException e) {
                        outcomes.add(e.getSQLState());
                    }
                }
            }
            // call 2: rule 0 wins; rule 1 fires on 4 and 6, then its limit of 2 is reached
            assertThat(outcomes).containsExactly("ok", "40001", "ok", "57P01", "ok", "57P01", "ok", "ok");
            assertThat(chaos.injected()).extracting(InjectedFault::ruleIndex).containsExactly(0, 1, 1);
        }
    }

    @Test
    void wrappersUnwrapToTheDriverAndStatementsReturnTheChaosConnection() throws Exception {
        try (TestDatabase db = open(Engine.POSTGRESQL)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.none());
            assertThat(chaos.unwrap(ChaosDataSource.class)).isSameAs(chaos);
            try (Connection c = chaos.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT 1");
                 Statement s = c.createStatement()) {
                assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
                assertThat(c.unwrap(PGConnection.class).getBackendPID()).isPositive();
                assertThat(c.unwrap(Connection.class)).isSameAs(c);
                assertThat(ps.getConnection()).isSameAs(c);
                assertThat(s.getConnection()).isSameAs(c);
                assertThat(ps.isWrapperFor(org.postgresql.PGStatement.class)).isTrue();
                assertThat(catchThrowable(() -> s.execute("SELEC broken")))
                        .isInstanceOf(org.postgresql.util.PSQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42601");
            }
            assertThat(chaos.injected()).isEmpty();
        }
    }

    @Test
    void callableStatementsAreWrappedAndMatchedByTheirSql() throws Exception {
        try (TestDatabase db = open(Engine.POSTGRESQL)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(15)
                    .on(ChaosRule.atExecute().withSqlMatching("call upper").withCall(1).fail("57014"))
                    .build());
            try (Connection c = chaos.getConnection(); CallableStatement cs = c.prepareCall("{? = call upper(?)}")) {
                cs.registerOutParameter(1, Types.VARCHAR);
                cs.setString(2, "chaos");
                assertThat(catchThrowable(cs::execute)).isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
                cs.execute();
                assertThat(cs.getString(1)).isEqualTo("CHAOS");
                assertThat(cs.getConnection()).isSameAs(c);
            }
        }
    }
}
