package dev.bulwark.jdbc.internal;

import dev.bulwark.core.BreakerState;
import dev.bulwark.core.Fault;
import dev.bulwark.jdbc.Health;
import dev.bulwark.jdbc.Health.Component;
import dev.bulwark.jdbc.Health.Status;
import dev.bulwark.jdbc.internal.pool.PoolExhaustedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a data source's {@link Health}: the circuit breaker's state, the pool's statistics, and a
 * connectivity probe ({@code isValid} on a fresh connection, outside the breaker so it never counts as
 * traffic). While the breaker is open the probe is skipped: the breaker's own half-open probe decides.
 * A saturated pool (every connection in use, or callers waiting) is DEGRADED, never DOWN: a busy pool is
 * not a sick database.
 *
 * <p>Components and their details come in a fixed order (docs/jdbc.md#health lists it): {@code breaker}
 * ({@code state}), {@code pool} ({@code active, idle, total, waiting, bypassed, max, saturated}),
 * {@code connectivity} ({@code valid, latencyMs}, or {@code fault, message, sqlState}, or {@code probe, message}),
 * {@code commitResolution} ({@code strategy}, then {@code reason, lostCommit} or {@code error}).
 */
final class HealthCheck {

    private static final int PROBE_TIMEOUT_SECONDS = 2;

    private HealthCheck() {
    }

    static Health run(ResilientDataSource ds) {
        Map<String, Component> components = new LinkedHashMap<>();
        BreakerState breaker = ds.guard().breakerState();
        components.put("breaker", new Component(switch (breaker) {
            case CLOSED, DISABLED -> Status.UP;
            case HALF_OPEN -> Status.DEGRADED;
            case OPEN -> Status.DOWN;
        }, Map.of("state", breaker.name())));
        ds.pool().stats().ifPresent(s -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("active", s.active());
            details.put("idle", s.idle());
            details.put("total", s.total());
            details.put("waiting", s.waiting());
            details.put("bypassed", s.bypassed());
            details.put("max", s.max());
            details.put("saturated", s.saturated());
            components.put("pool", new Component(s.saturated() ? Status.DEGRADED : Status.UP, details));
        });
        long silentMillis = ds.silentMillis();
        components.put("connectivity", breaker == BreakerState.OPEN
                ? new Component(Status.DOWN, Map.of("probe", "skipped while the circuit breaker is open"))
                : silentMillis > 0
                ? new Component(Status.DOWN, Map.of("probe", "the database has not answered for " + silentMillis
                        + " ms (hung, overloaded or cut off)"))
                : probe(ds));
        components.put("commitResolution", ds.commitResolutionHealth());
        return Health.of(components);
    }

    /**
     * A connection for the probe within {@link #PROBE_TIMEOUT_SECONDS}. A pool Bulwark does not know (not
     * HikariCP) waits as long as it was configured to, perhaps forever on a server that accepts connections but
     * never answers: its connect runs on a probe thread, at most one at a time per data source, and a connection
     * that arrives after the caller gave up is closed.
     */
    private static Connection open(ResilientDataSource ds) throws SQLException {
        long waitMillis = PROBE_TIMEOUT_SECONDS * 1000L;
        if (ds.pool().boundsWait()) {
            return ds.openUnguarded(waitMillis);
        }
        CompletableFuture<Connection> connect = ds.startProbeConnect();
        if (connect == null) {
            throw new SQLTransientConnectionException(ds.name() + ": the previous health probe's connect is still "
                    + "waiting for the database", "08001");
        }
        try {
            return connect.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            connect.thenAccept(HealthCheck::closeQuietly);
            throw new SQLTransientConnectionException(ds.name() + ": no connection within " + waitMillis
                    + " ms for the health probe", "08001");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CompletionException c && c.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLTransientConnectionException(ds.name() + ": the health probe's connect failed: "
                    + e.getCause(), "08001", e.getCause());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // a late connection nobody waited for: nothing more to do
        }
    }

    private static Component probe(ResilientDataSource ds) {
        long start = System.nanoTime();
        try (Connection c = open(ds)) {
            boolean valid = c.isValid(PROBE_TIMEOUT_SECONDS);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("valid", valid);
            details.put("latencyMs", (System.nanoTime() - start) / 1_000_000);
            return new Component(valid ? Status.UP : Status.DOWN, details);
        } catch (PoolExhaustedException e) {
            // No free connection to probe with: the pool is saturated, which says nothing about the database.
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("probe", "skipped: the pool is saturated");
            details.put("message", e.getMessage());
            return new Component(Status.DEGRADED, details);
        } catch (SQLException | RuntimeException e) {
            Fault fault = ds.classifier().classify(e);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("fault", fault.kind().name());
            details.put("message", fault.message());
            if (fault.sqlState() != null) {
                details.put("sqlState", fault.sqlState());
            }
            return new Component(Status.DOWN, details);
        }
    }
}
