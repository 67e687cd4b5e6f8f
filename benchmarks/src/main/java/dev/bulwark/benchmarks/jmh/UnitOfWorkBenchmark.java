package dev.bulwark.benchmarks.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.Work;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One transaction of one update: Bulwark's {@code inTransaction} against the same work with hand-written
 * acquire, begin, commit (rollback on failure), restore and close, on each stack.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UnitOfWorkBenchmark {

    /** The work of every variant: prepare, bind two parameters, execute, close. */
    static final Work<Integer> WORK = UnitOfWorkBenchmark::update;

    static int update(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JdbcPathBenchmark.UPDATE)) {
            ps.setInt(1, 10);
            ps.setInt(2, 42);
            return ps.executeUpdate();
        }
    }

    /** One pool per trial, under the stack named by {@code variant}. */
    @State(Scope.Benchmark)
    public static class Stack {
        @Param({"raw", "bulwark", "dsproxy"})
        public String variant;

        HikariDataSource pool;
        DataSource dataSource;

        @Setup(Level.Trial)
        public void open() {
            pool = StubPools.hikari(1);
            dataSource = StubPools.stack(variant, pool);
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
        }
    }

    /** Bulwark over its own pool, for {@code inTransaction}. */
    @State(Scope.Benchmark)
    public static class Units {
        HikariDataSource pool;
        BulwarkDataSource dataSource;

        @Setup(Level.Trial)
        public void open() {
            pool = StubPools.hikari(1);
            dataSource = StubPools.bulwark(pool);
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
        }
    }

    @Benchmark
    public int handWritten(Stack stack) throws SQLException {
        try (Connection c = stack.dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int result = update(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Benchmark
    public int inTransaction(Units units) throws SQLException {
        return units.dataSource.inTransaction(WORK);
    }
}
