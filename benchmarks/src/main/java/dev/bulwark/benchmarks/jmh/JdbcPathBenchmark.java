package dev.bulwark.benchmarks.jmh;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
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
 * The JDBC calls an application makes, through each stack over the stub driver: the pool's
 * acquire/close cycle, prepare + execute + close, ten parameter setters, commit and rollback.
 * The difference between {@code bulwark} and {@code raw} is the wrapper's cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdbcPathBenchmark {

    static final String UPDATE = "UPDATE accounts SET balance = balance + ? WHERE id = ?";

    private static final Timestamp WHEN = new Timestamp(1_700_000_000_000L);
    private static final BigDecimal AMOUNT = new BigDecimal("12.50");

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

    /** A connection (autocommit off) and a prepared statement held by each thread for the whole trial. */
    @State(Scope.Thread)
    public static class Held {
        Connection connection;
        PreparedStatement statement;

        @Setup(Level.Trial)
        public void open(Stack stack) throws SQLException {
            connection = stack.dataSource.getConnection();
            connection.setAutoCommit(false);
            statement = connection.prepareStatement(UPDATE);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            statement.close();
            connection.rollback();
            connection.setAutoCommit(true);
            connection.close();
        }
    }

    @Benchmark
    public Connection acquireClose(Stack stack) throws SQLException {
        Connection c = stack.dataSource.getConnection();
        c.close();
        return c;
    }

    @Benchmark
    public int prepareExecuteClose(Held held) throws SQLException {
        try (PreparedStatement ps = held.connection.prepareStatement(UPDATE)) {
            return ps.executeUpdate();
        }
    }

    @Benchmark
    public PreparedStatement setters10(Held held) throws SQLException {
        PreparedStatement ps = held.statement;
        ps.setInt(1, 42);
        ps.setLong(2, 4_200_000_000L);
        ps.setString(3, "alice");
        ps.setString(4, "bob");
        ps.setBoolean(5, true);
        ps.setDouble(6, 3.25);
        ps.setBigDecimal(7, AMOUNT);
        ps.setTimestamp(8, WHEN);
        ps.setNull(9, java.sql.Types.VARCHAR);
        ps.setInt(10, 7);
        return ps;
    }

    @Benchmark
    public Connection commit(Held held) throws SQLException {
        held.connection.commit();
        return held.connection;
    }

    @Benchmark
    public Connection rollback(Held held) throws SQLException {
        held.connection.rollback();
        return held.connection;
    }
}
