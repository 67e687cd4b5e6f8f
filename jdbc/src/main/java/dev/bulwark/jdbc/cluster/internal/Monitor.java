package dev.bulwark.jdbc.cluster.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.jdbc.cluster.HostStatus.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag monitor: one task per host, every sample interval, one short query on a connection borrowed from the
 * host's own pool (not through its breaker) under a short network timeout. The tasks share a scheduler with one
 * daemon thread per host, so a hung host delays only its own samples; no thread is kept per connection.
 */
final class Monitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final Topology topology;
    private final ScheduledThreadPoolExecutor scheduler;
    private final long intervalNanos;
    private final int timeoutMillis;
    private final java.util.function.Function<Throwable, Fault> classifier;

    Monitor(String name, Topology topology, long intervalNanos, java.util.function.Function<Throwable, Fault> classifier) {
        this.topology = topology;
        this.intervalNanos = intervalNanos;
        this.classifier = classifier;
        // Short, but never shorter than a loaded machine needs for a trivial query.
        this.timeoutMillis = (int) Math.max(1000, Math.min(5000, 4 * intervalNanos / 1_000_000));
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(1 + topology.replicas.length, r -> {
            Thread t = new Thread(r, "bulwark-monitor-" + name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    void start() {
        scheduler.scheduleWithFixedDelay(() -> sample(topology.primary), 0, intervalNanos, TimeUnit.NANOSECONDS);
        for (Host replica : topology.replicas) {
            scheduler.scheduleWithFixedDelay(() -> sample(replica), 0, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One sample of {@code host}; never throws (a task that threw would never run again). */
    private void sample(Host host) {
        long started = System.nanoTime();
        try (Connection c = host.dataSource.openForMonitor(timeoutMillis)) {
            int saved = c.getNetworkTimeout();
            c.setNetworkTimeout(Runnable::run, saved == 0 ? timeoutMillis : Math.min(saved, timeoutMillis));
            try {
                Dialect dialect = host.dialect;
                if (dialect == null) {
                    dialect = Dialect.of(c);
                    host.dialect = dialect;
                }
                Dialect.Sample sample = dialect.sample(c, host.primary);
                if (host.primary) {
                    topology.primarySampled(started, sample.role(), sample.position());
                } else {
                    topology.replicaSampled(host, sample.role(), sample.position());
                }
            } finally {
                c.setNetworkTimeout(Runnable::run, saved);
            }
            if (started > host.outSince) {
                if (!host.available) {
                    LOG.info("{}: reachable again ({})", host.name, host.role);
                }
                host.problem = null;
                host.available = true;
            }
        } catch (SQLException | RuntimeException e) {
            Fault fault = classifier.apply(e);
            if (host.available) {
                LOG.warn("{}: lag monitor sample failed: {}", host.name, fault.message());
            }
            host.available = false;
            host.role = Role.UNKNOWN;
            host.problem = "sample failed: " + fault.kind() + (fault.sqlState() == null ? "" : " " + fault.sqlState());
        } catch (Error e) {
            LOG.error("{}: lag monitor sample failed", host.name, e);
            host.available = false;
        }
    }

    long intervalNanos() {
        return intervalNanos;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
