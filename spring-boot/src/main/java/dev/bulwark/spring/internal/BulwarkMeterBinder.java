package dev.bulwark.spring.internal;

import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.jdbc.micrometer.BulwarkMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Bulwark's meters in the application's {@link MeterRegistry}: Spring Boot binds every {@link MeterBinder}
 * bean to its registry, and this one, a {@link BulwarkListener} of every wrapped data source, then feeds a
 * {@link BulwarkMetrics} per registry.
 *
 * <p>The data sources are built (and send their first events) before Spring Boot binds the registry, so events
 * that arrive while no registry is bound are kept, at most {@value #EARLY_EVENTS}, and replayed to each registry
 * when it is bound: each registry counts each of them once.
 *
 * <p>Thread-safe.
 */
public final class BulwarkMeterBinder implements MeterBinder, BulwarkListener {

    /** Events kept for registries bound later; beyond this, early events are not counted. */
    static final int EARLY_EVENTS = 1_000;

    private final Object lock = new Object();
    private final List<BulwarkEvent> early = new ArrayList<>();
    private final List<BulwarkMetrics> metrics = new CopyOnWriteArrayList<>();
    private volatile boolean bound;

    @Override
    public void bindTo(MeterRegistry registry) {
        synchronized (lock) {
            BulwarkMetrics m = new BulwarkMetrics(registry);
            early.forEach(m::onEvent);
            metrics.add(m);
            bound = true;
        }
    }

    @Override
    public void onEvent(BulwarkEvent event) {
        if (!bound) {
            synchronized (lock) {
                if (!bound) {
                    if (early.size() < EARLY_EVENTS) {
                        early.add(event);
                    }
                    return;
                }
            }
        }
        for (BulwarkMetrics m : metrics) {
            m.onEvent(event);
        }
    }
}
