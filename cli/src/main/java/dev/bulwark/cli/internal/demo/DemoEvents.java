package dev.bulwark.cli.internal.demo;

import dev.bulwark.core.BreakerState;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.jdbc.JdbcEvent;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts what Bulwark reported during a demo run: retries, breaker transitions and the time the breaker
 * spent away from CLOSED, refused calls, evicted connections and resolved commits.
 *
 * <p>Thread-safe: events arrive on the worker threads.
 */
final class DemoEvents implements BulwarkListener {

    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong breakerOpenings = new AtomicLong();
    private final Map<CommitOutcome, AtomicLong> resolved = new EnumMap<>(CommitOutcome.class);
    private final AtomicReference<BreakerState> breaker = new AtomicReference<>(BreakerState.CLOSED);
    private final Object breakerLock = new Object();
    private long notClosedSince = -1;
    private long notClosedNanos;

    DemoEvents() {
        for (CommitOutcome o : CommitOutcome.values()) {
            resolved.put(o, new AtomicLong());
        }
    }

    @Override
    public void onEvent(BulwarkEvent event) {
        if (event instanceof PolicyEvent.RetryScheduled) {
            retries.incrementAndGet();
        } else if (event instanceof PolicyEvent.CallRejected) {
            rejected.incrementAndGet();
        } else if (event instanceof PolicyEvent.BreakerTransition t) {
            onBreaker(t.to());
        } else if (event instanceof JdbcEvent.ConnectionEvicted) {
            evicted.incrementAndGet();
        } else if (event instanceof JdbcEvent.CommitResolved r) {
            resolved.get(r.outcome()).incrementAndGet();
        }
    }

    private void onBreaker(BreakerState to) {
        synchronized (breakerLock) {
            long now = System.nanoTime();
            if (to == BreakerState.OPEN && breaker.get() == BreakerState.CLOSED) {
                breakerOpenings.incrementAndGet();
            }
            if (to == BreakerState.CLOSED && notClosedSince >= 0) {
                notClosedNanos += now - notClosedSince;
                notClosedSince = -1;
            } else if (to != BreakerState.CLOSED && notClosedSince < 0) {
                notClosedSince = now;
            }
            breaker.set(to);
        }
    }

    long retries() {
        return retries.get();
    }

    long rejected() {
        return rejected.get();
    }

    long evicted() {
        return evicted.get();
    }

    long breakerOpenings() {
        return breakerOpenings.get();
    }

    BreakerState breaker() {
        return breaker.get();
    }

    long resolved(CommitOutcome outcome) {
        return resolved.get(outcome).get();
    }

    /** Time spent OPEN or HALF_OPEN, the current stretch included. */
    Duration breakerNotClosed() {
        synchronized (breakerLock) {
            long total = notClosedNanos + (notClosedSince < 0 ? 0 : System.nanoTime() - notClosedSince);
            return Duration.ofNanos(total);
        }
    }
}
