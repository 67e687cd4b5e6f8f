package dev.bulwark.benchmarks.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.jdbc.Work;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.HostStatus;
import dev.bulwark.jdbc.cluster.Replicas;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * What read routing costs a unit: a read-only unit (prepare, execute, read one row) and a read-write unit on
 * <ul>
 *   <li>{@code plain}: {@code Bulwark.wrap(pool, config)}, no cluster;</li>
 *   <li>{@code noReplicas}: {@code Bulwark.wrap(pool, Replicas.none(), config)};</li>
 *   <li>{@code replica}: a primary and one replica whose lag monitor finds it fresh, so the read-only unit runs on
 *       the replica (and the read-write unit pays the commit-position query of read-your-writes).</li>
 * </ul>
 * Every variant runs over the same stub connections dressed as PostgreSQL (JDK proxies that answer the lag
 * monitor's and the commit position's queries with canned rows), so the differences are the router's own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {

    static final TransactionOptions READ = TransactionOptions.builder().withReadOnly(true).build();

    static final Work<Long> QUERY = c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            ps.setInt(1, 42);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    };

    /** The data sources of one variant. */
    @State(Scope.Benchmark)
    public static class Cluster {
        @Param({"plain", "noReplicas", "replica"})
        public String variant;

        HikariDataSource primaryPool;
        HikariDataSource replicaPool;
        BulwarkDataSource dataSource;

        @Setup(Level.Trial)
        public void open() {
            primaryPool = StubPools.hikari(1);
            replicaPool = StubPools.hikari(1);
            BulwarkConfig config = StubPools.bulwarkConfig().toBuilder()
                    .with(BulwarkProperties.REPLICA_MAX_LAG, Duration.ofSeconds(5)).build();
            DataSource primary = asPostgres(primaryPool, false);
            dataSource = switch (variant) {
                case "plain" -> Bulwark.wrap(primary, config);
                case "noReplicas" -> Bulwark.wrap(primary, Replicas.none(), config);
                case "replica" -> awaitFresh(Bulwark.wrap(primary, Replicas.of(asPostgres(replicaPool, true)), config));
                default -> throw new IllegalArgumentException("unknown variant " + variant);
            };
        }

        @TearDown(Level.Trial)
        public void close() {
            if (dataSource instanceof ClusterDataSource cluster) {
                cluster.close();
                HostStatus replica = cluster.hosts().size() > 1 ? cluster.hosts().get(1) : null;
                if (replica != null && cluster.hosts().get(0).fallbacks() > 0) {
                    throw new IllegalStateException("read-only units fell back to the primary: " + cluster.hosts());
                }
            }
            primaryPool.close();
            replicaPool.close();
        }
    }

    private static ClusterDataSource awaitFresh(ClusterDataSource cluster) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(cluster.hosts().get(1).available() && cluster.hosts().get(1).problem().isEmpty())) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the stub replica never qualified: " + cluster.hosts());
            }
            LockSupport.parkNanos(10_000_000);
        }
        return cluster;
    }

    @Benchmark
    public long readOnlyUnit(Cluster cluster) throws SQLException {
        return cluster.dataSource.inTransaction(READ, QUERY);
    }

    @Benchmark
    public int readWriteUnit(Cluster cluster) throws SQLException {
        return cluster.dataSource.inTransaction(UnitOfWorkBenchmark.WORK);
    }

    // ---- stub connections that answer as PostgreSQL ----

    static DataSource asPostgres(DataSource stub, boolean replica) {
        return (DataSource) Proxy.newProxyInstance(RoutingBenchmark.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, args) -> {
                    Object result = call(stub, m, args);
                    return result instanceof Connection c ? connection(c, replica) : result;
                });
    }

    private static Connection connection(Connection target, boolean replica) {
        return (Connection) Proxy.newProxyInstance(RoutingBenchmark.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, args) -> {
                    Object result = call(target, m, args);
                    if (result instanceof DatabaseMetaData md) {
                        return metaData(md);
                    }
                    if (m.getName().equals("createStatement") && result instanceof Statement s) {
                        return statement(s, replica);
                    }
                    return result;
                });
    }

    private static DatabaseMetaData metaData(DatabaseMetaData target) {
        return (DatabaseMetaData) Proxy.newProxyInstance(RoutingBenchmark.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (p, m, args) ->
                        m.getName().equals("getDatabaseProductName") ? "PostgreSQL" : call(target, m, args));
    }

    private static Statement statement(Statement target, boolean replica) {
        return (Statement) Proxy.newProxyInstance(RoutingBenchmark.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (p, m, args) -> {
                    if (m.getName().equals("executeQuery") && args[0] instanceof String sql && sql.contains("pg_")) {
                        return cannedRow(replica);
                    }
                    if (m.getName().equals("execute") && args[0] instanceof String sql && sql.startsWith("SET ")) {
                        return false; // SET TRANSACTION READ ONLY, statement_timeout: nothing to do on a stub
                    }
                    return call(target, m, args);
                });
    }

    /**
     * One row for every PostgreSQL catalog query: pg_is_in_recovery(), a WAL position that never moves (an idle
     * primary), and no statement_timeout set on the server.
     */
    private static ResultSet cannedRow(boolean replica) {
        boolean[] read = {false};
        return (ResultSet) Proxy.newProxyInstance(RoutingBenchmark.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, (p, m, args) -> switch (m.getName()) {
                    case "next" -> {
                        boolean first = !read[0];
                        read[0] = true;
                        yield first;
                    }
                    case "getBoolean" -> replica;
                    case "getString" -> "0/1000";
                    case "getLong" -> 0L; // pg_settings' statement_timeout: none set on the server
                    case "getInt" -> 0;
                    case "wasNull" -> false;
                    case "close" -> null;
                    case "isClosed" -> read[0];
                    default -> throw new SQLException("canned row: " + m.getName() + " not supported");
                });
    }

    private static Object call(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
