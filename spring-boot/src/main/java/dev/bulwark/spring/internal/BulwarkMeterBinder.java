package dev.bulwark.spring.internal;

import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.jdbc.micrometer.BulwarkMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Bulwark's meters in the application's {@link MeterRegistry}: Spring Boot binds every {@link MeterBinder}
 * bean to its registry, and this one, a {@link BulwarkListener} of every wrapped data source, then feeds a
 * {@link BulwarkMetrics} per registry. Events before the registry is bound (early start-up) are not counted.
 *
 * <p>Thread-safe.
 */
public final class BulwarkMeterBinder implements MeterBinder, BulwarkListener {

    private final List<BulwarkMetrics> metrics = new CopyOnWriteArrayList<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        metrics.add(new BulwarkMetrics(registry));
    }

    @Override
    public void onEvent(BulwarkEvent event) {
        for (BulwarkMetrics m : metrics) {
            m.onEvent(event);
        }
    }
}
