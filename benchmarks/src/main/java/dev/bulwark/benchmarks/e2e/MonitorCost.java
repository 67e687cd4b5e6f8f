package dev.bulwark.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.Replicas;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The cost of a cluster's lag monitor on loopback PostgreSQL: a primary and one "replica" (both the local server,
 * so the replica's sample answers as a primary would; the query and its round trip are the same), sampled every
 * {@code --intervalMs} (default 10 ms, to get many samples) for {@code --seconds} (default 10). Prints the client
 * CPU time of the monitor's threads per sample, the samples taken, and what that makes per host per second at the
 * default interval (250 ms).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.e2e.MonitorCost [--url=...] [--user=postgres]
 * </pre>
 */
public final class MonitorCost {

    private MonitorCost() {
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        String user = "postgres";
        long intervalMs = 10;
        long seconds = 10;
        for (String a : args) {
            if (a.startsWith("--url=")) {
                url = a.substring(6);
            } else if (a.startsWith("--user=")) {
                user = a.substring(7);
            } else if (a.startsWith("--intervalMs=")) {
                intervalMs = Long.parseLong(a.substring(13));
            } else if (a.startsWith("--seconds=")) {
                seconds = Long.parseLong(a.substring(10));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        AtomicLong samples = new AtomicLong();
        try (HikariDataSource primary = pool(url, user, "primary"); HikariDataSource replica = pool(url, user, "replica")) {
            BulwarkConfig config = BulwarkConfig.builder().withName("monitor-cost")
                    .with(BulwarkProperties.REPLICA_SAMPLE_INTERVAL, Duration.ofMillis(intervalMs))
                    .with(BulwarkProperties.REPLICA_MAX_LAG, Duration.ofMillis(Math.max(1000, 4 * intervalMs))).build();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            ClusterDataSource cluster = Bulwark.wrap(counting(primary, samples), Replicas.of(counting(replica, samples)),
                    config);
            Thread.sleep(2000); // warm-up: connections made, code compiled
            long cpu0 = monitorCpu(threads);
            long n0 = samples.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000);
            long cpu = monitorCpu(threads) - cpu0;
            long n = samples.get() - n0;
            long wall = System.nanoTime() - t0;
            cluster.close();
            double perSampleMicros = cpu / 1000.0 / n;
            System.out.printf("samples: %d in %.1f s (2 hosts, every %d ms)%n", n, wall / 1e9, intervalMs);
            System.out.printf("monitor CPU per sample: %.1f us%n", perSampleMicros);
            System.out.printf("at the default 250 ms: 4 queries/s per host, %.0f us CPU/s per host (%.4f %% of one core)%n",
                    4 * perSampleMicros, 4 * perSampleMicros / 1e4);
        }
    }

    private static long monitorCpu(ThreadMXBean threads) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("bulwark-monitor-")) {
                total += Math.max(0, threads.getThreadCpuTime(id));
            }
        }
        return total;
    }

    private static HikariDataSource pool(String url, String user, String name) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setMaximumPoolSize(2);
        c.setPoolName(name);
        return new HikariDataSource(c);
    }

    /** Counts the connections the monitor's threads borrow: one per sample. */
    private static DataSource counting(DataSource target, AtomicLong count) {
        return (DataSource) Proxy.newProxyInstance(MonitorCost.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    Object r;
                    try {
                        r = m.invoke(target, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (r instanceof Connection && Thread.currentThread().getName().startsWith("bulwark-monitor-")) {
                        count.incrementAndGet();
                    }
                    return r;
                });
    }
}
