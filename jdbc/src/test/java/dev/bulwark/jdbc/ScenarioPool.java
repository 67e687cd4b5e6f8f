package dev.bulwark.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** What the server-level scenarios share: a HikariCP pool as an application would configure it, and figures. */
final class ScenarioPool {

    private ScenarioPool() {
    }

    /**
     * A HikariCP pool on {@code url} with short waits, so that an outage shows within a scenario's seconds:
     * a borrower waits at most 500 ms for a connection and a validation takes at most 250 ms.
     */
    static HikariConfig hikari(String url, PostgresCluster cluster, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(cluster.user());
        c.setPassword(cluster.password());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionTimeout(500);
        c.setValidationTimeout(250);
        c.setPoolName(name);
        return c;
    }

    static HikariDataSource pool(String url, PostgresCluster cluster, String name, int size) {
        return new HikariDataSource(hikari(url, cluster, name, size));
    }

    /** Whether the server accepts a new connection now (a raw pgjdbc connect, bounded by one second). */
    static boolean accepting(String url, PostgresCluster cluster) {
        Properties p = cluster.connectionProperties();
        p.setProperty("connectTimeout", "1");
        p.setProperty("socketTimeout", "1");
        try (Connection c = DriverManager.getConnection(url, p)) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The median of the given values, in microseconds; -1 when there are none. */
    static double medianMicros(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return -1;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1_000.0;
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static <E extends BulwarkEvent> List<E> events(List<BulwarkEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits, polling every 5 ms, until {@code condition} holds; fails naming {@code what} after {@code limit}. */
    static void await(BooleanSupplier condition, Duration limit, String what) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
