package dev.bulwark.benchmarks.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.Attempt;
import dev.bulwark.core.Guard;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A guarded execute on the success path: one {@code executeUpdate} on raw HikariCP over the stub driver,
 * alone and under each library's retry + circuit breaker (Bulwark: classification on failure, breaker,
 * retry, deadline; its {@code Guard} is what the jdbc layer runs units and acquisitions under). Each
 * library gets a work object built once, so what is measured is the library's per-call machinery.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardBenchmark {

    /** The policies, shared by all threads as one data source's would be. */
    @State(Scope.Benchmark)
    public static class Policies {
        HikariDataSource pool;
        Guard guard;
        Retry retry;
        CircuitBreaker breaker;
        FailsafeExecutor<Integer> failsafe;

        @Setup(Level.Trial)
        public void open() {
            pool = StubPools.hikari(1);
            guard = Peers.guard();
            retry = Peers.resilience4jRetry();
            breaker = Peers.resilience4jBreaker();
            failsafe = Peers.failsafe(Peers.failsafeBreaker());
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
        }
    }

    /** Each thread's connection, statement and the same work shaped for each library. */
    @State(Scope.Thread)
    public static class Work {
        Connection connection;
        PreparedStatement statement;
        Attempt<Integer> bulwark;
        io.github.resilience4j.core.functions.CheckedSupplier<Integer> resilience4j;
        dev.failsafe.function.CheckedSupplier<Integer> failsafe;

        @Setup(Level.Trial)
        public void open(Policies policies) throws SQLException {
            connection = policies.pool.getConnection();
            statement = connection.prepareStatement(JdbcPathBenchmark.UPDATE);
            PreparedStatement ps = statement;
            bulwark = context -> ps.executeUpdate();
            resilience4j = Retry.decorateCheckedSupplier(policies.retry,
                    CircuitBreaker.decorateCheckedSupplier(policies.breaker, ps::executeUpdate));
            failsafe = ps::executeUpdate;
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            statement.close();
            connection.close();
        }
    }

    @Benchmark
    public int executeRaw(Work work) throws SQLException {
        return work.statement.executeUpdate();
    }

    @Benchmark
    public int executeBulwark(Policies policies, Work work) throws SQLException {
        return policies.guard.execute(work.bulwark);
    }

    @Benchmark
    public int executeResilience4j(Work work) throws Throwable {
        return work.resilience4j.get();
    }

    @Benchmark
    public int executeFailsafe(Policies policies, Work work) {
        return policies.failsafe.get(work.failsafe);
    }
}
