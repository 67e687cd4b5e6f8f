package dev.bulwark.core.internal;

import dev.bulwark.core.BulkheadFullException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;

import java.time.Duration;

/**
 * Limits concurrent attempts with Resilience4j's semaphore bulkhead; it never waits: a call over the limit
 * is refused at once.
 *
 * <p>Thread-safe.
 */
public final class BulkheadPolicy {

    private final String name;
    private final int maxConcurrent;
    private final Bulkhead bulkhead;

    public BulkheadPolicy(String name, int maxConcurrent) {
        this.name = name;
        this.maxConcurrent = maxConcurrent;
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ZERO)
                .build());
    }

    /** Takes a slot; {@code false} if all are taken. */
    public boolean tryAcquire() {
        return bulkhead.tryAcquirePermission();
    }

    /** Gives back a slot taken by {@link #tryAcquire()}. */
    public void release() {
        bulkhead.onComplete();
    }

    /** The exception refusing a call now. */
    public BulkheadFullException rejection() {
        return new BulkheadFullException(name, maxConcurrent);
    }
}
