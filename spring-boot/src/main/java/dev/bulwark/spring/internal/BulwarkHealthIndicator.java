package dev.bulwark.spring.internal;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.Health;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code bulwark} component of Spring Boot's health endpoint, from each wrapped data source's
 * {@link BulwarkDataSource#health()}: DOWN when any is DOWN (its database unreachable, its breaker open),
 * UP otherwise; Bulwark's own DEGRADED (a busy pool, a half-open breaker) stays UP for Spring, with
 * {@code "status": "DEGRADED"} in the details, so a readiness probe does not take a working instance out.
 * The details are Bulwark's components (connectivity, breaker, pool, ...), which never hold credentials.
 *
 * <p>Thread-safe; each call probes the databases under Bulwark's short health timeout.
 */
public final class BulwarkHealthIndicator implements HealthIndicator {

    private final ObjectProvider<DataSource> dataSources;

    /** An indicator over the wrapped beans among {@code dataSources}, looked up at each call. */
    public BulwarkHealthIndicator(ObjectProvider<DataSource> dataSources) {
        this.dataSources = dataSources;
    }

    @Override
    public org.springframework.boot.actuate.health.Health health() {
        List<BulwarkDataSource> wrapped = dataSources.orderedStream().map(BulwarkHealthIndicator::bulwark)
                .filter(ds -> ds != null).toList();
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (BulwarkDataSource ds : wrapped) {
            Health health = ds.health();
            if (health.status() == Health.Status.DOWN) {
                status = Status.DOWN;
            }
            details.put(ds.name(), describe(health));
        }
        if (wrapped.isEmpty()) {
            status = Status.UNKNOWN; // nothing to report on: every DataSource was excluded
        }
        return org.springframework.boot.actuate.health.Health.status(status).withDetails(details).build();
    }

    private static Map<String, Object> describe(Health health) {
        Map<String, Object> components = new LinkedHashMap<>();
        health.components().forEach((name, component) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", component.status().name());
            c.putAll(component.details());
            components.put(name, c);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", health.status().name());
        out.put("components", components);
        return out;
    }

    private static BulwarkDataSource bulwark(DataSource ds) {
        if (ds instanceof BulwarkDataSource b) {
            return b;
        }
        try {
            return ds.isWrapperFor(BulwarkDataSource.class) ? ds.unwrap(BulwarkDataSource.class) : null;
        } catch (SQLException | RuntimeException e) {
            return null; // not ours, and it cannot say
        }
    }
}
