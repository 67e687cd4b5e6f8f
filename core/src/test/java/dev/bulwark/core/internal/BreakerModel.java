package dev.bulwark.core.internal;

import dev.bulwark.core.BreakerState;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A reference model of the breaker for {@code CircuitBreakerProperties}: a count-based window of the last
 * calls, opening when the failure percentage reaches the threshold once the minimum calls are in, open for
 * the wait (strictly longer), then probes in a window of the permitted size, judged once
 * {@code min(minimumCalls, permitted)} are in, that close or re-open it.
 */
final class BreakerModel {

    private final int windowSize;
    private final int minimumCalls;
    private final float threshold;
    private final long waitNanos;
    private final int permittedInHalfOpen;
    private final Deque<Boolean> window = new ArrayDeque<>();
    private BreakerState state = BreakerState.CLOSED;
    private long openedAt;

    BreakerModel(int windowSize, int minimumCalls, float threshold, long waitNanos, int permittedInHalfOpen) {
        this.windowSize = windowSize;
        this.minimumCalls = minimumCalls;
        this.threshold = threshold;
        this.waitNanos = waitNanos;
        this.permittedInHalfOpen = permittedInHalfOpen;
    }

    /** Whether a call at {@code now} is permitted; an open breaker past its wait turns half-open. */
    boolean permits(long now) {
        if (state == BreakerState.OPEN) {
            if (now <= openedAt + waitNanos) {
                return false;
            }
            state = BreakerState.HALF_OPEN;
            window.clear();
        }
        return true;
    }

    /** Records a permitted call's outcome; {@code failure} only for faults that count. */
    void record(boolean failure, long now) {
        window.addLast(failure);
        int limit = state == BreakerState.HALF_OPEN ? permittedInHalfOpen : windowSize;
        // As in Resilience4j, the half-open window holds the permitted probes and judges after min(minimum, probes).
        int minimum = Math.min(minimumCalls, limit);
        if (window.size() > limit) {
            window.removeFirst();
        }
        if (window.size() < minimum) {
            return;
        }
        long failures = window.stream().filter(f -> f).count();
        float rate = failures * 100.0f / window.size();
        if (rate >= threshold) {
            state = BreakerState.OPEN;
            openedAt = now;
            window.clear();
        } else if (state == BreakerState.HALF_OPEN) {
            state = BreakerState.CLOSED;
            window.clear();
        }
    }

    BreakerState state() {
        return state;
    }

    long untilProbe(long now) {
        return Math.max(0, openedAt + waitNanos - now);
    }
}
