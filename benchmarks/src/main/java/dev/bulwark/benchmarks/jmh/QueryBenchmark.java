package dev.bulwark.benchmarks.jmh;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * executeQuery on a held prepared statement, then {@code next()} and three getters per row over 1, 100
 * and 1,000 canned rows, then close: the execute hook once, the pass-through getters per row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class QueryBenchmark {

    @Param({"raw", "bulwark", "dsproxy"})
    public String variant;

    @Param({"1", "100", "1000"})
    public int rows;

    private HikariDataSource pool;
    private Connection connection;
    private PreparedStatement statement;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        pool = StubPools.hikari(rows);
        connection = StubPools.stack(variant, pool).getConnection();
        statement = connection.prepareStatement("SELECT id, name, balance FROM accounts WHERE id > ?");
        statement.setLong(1, 0);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        statement.close();
        connection.close();
        pool.close();
    }

    @Benchmark
    public void queryAndRead(Blackhole bh) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getLong(1));
                bh.consume(rs.getString(2));
                bh.consume(rs.getInt(3));
            }
        }
    }
}
