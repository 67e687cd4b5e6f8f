package dev.bulwark.jdbc.micrometer;

import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.HostStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Meters for each host of a {@link ClusterDataSource}, read from {@link ClusterDataSource#hosts()} when scraped
 * (a scrape never touches the database):
 *
 * <pre>{@code
 * ClusterMetrics.bind(registry, cluster);
 * }</pre>
 *
 * <p>Each meter is tagged {@code source} (the cluster's name) and {@code host} (the host's data source name):
 * <ul>
 *   <li>{@code bulwark.cluster.units}: units run on the host (a counter);</li>
 *   <li>{@code bulwark.cluster.fallbacks}: for a replica, read-only units meant for it that ran on the primary; for
 *       the primary, read-only units it ran because no replica could (a counter);</li>
 *   <li>{@code bulwark.cluster.lag} (seconds): a replica's lag as the router sees it, samples' age included; NaN
 *       while unknown;</li>
 *   <li>{@code bulwark.cluster.role}: 0 primary, 1 replica, 2 unknown; {@code bulwark.cluster.available}: 1 when the
 *       host's last sample succeeded after its last fault, else 0.</li>
 * </ul>
 * Alert on a replica's {@code bulwark.cluster.lag} near {@code bulwark.replica.maxLag} and on a rising
 * {@code bulwark.cluster.fallbacks}. Use {@link BulwarkMetrics} as the cluster's listener for the per-host breaker,
 * retry and eviction meters. Thread-safe.
 */
public final class ClusterMetrics {

    private ClusterMetrics() {
    }

    /**
     * Registers the meters of every host of {@code cluster} with {@code registry}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static void bind(MeterRegistry registry, ClusterDataSource cluster) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(cluster, "cluster");
        List<HostStatus> hosts = cluster.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            int index = i;
            String host = hosts.get(i).name();
            ToDoubleFunction<ClusterDataSource> units = c -> c.hosts().get(index).routedUnits();
            FunctionCounter.builder("bulwark.cluster.units", cluster, units).tag("source", cluster.name())
                    .tag("host", host).description("units run on the host").register(registry);
            ToDoubleFunction<ClusterDataSource> fallbacks = c -> c.hosts().get(index).fallbacks();
            FunctionCounter.builder("bulwark.cluster.fallbacks", cluster, fallbacks).tag("source", cluster.name())
                    .tag("host", host).description("read-only units that ran on the primary instead")
                    .register(registry);
            Gauge.builder("bulwark.cluster.lag", cluster,
                            c -> c.hosts().get(index).lag().map(l -> l.toNanos() / 1e9).orElse(Double.NaN))
                    .tag("source", cluster.name()).tag("host", host).baseUnit("seconds")
                    .description("replica lag, samples' age included").register(registry);
            Gauge.builder("bulwark.cluster.role", cluster, c -> c.hosts().get(index).role().ordinal())
                    .tag("source", cluster.name()).tag("host", host)
                    .description("0 primary, 1 replica, 2 unknown").register(registry);
            Gauge.builder("bulwark.cluster.available", cluster, c -> c.hosts().get(index).available() ? 1 : 0)
                    .tag("source", cluster.name()).tag("host", host).register(registry);
        }
    }
}
