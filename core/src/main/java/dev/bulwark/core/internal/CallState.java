package dev.bulwark.core.internal;

import dev.bulwark.core.AttemptContext;
import dev.bulwark.core.Fault;
import dev.bulwark.core.Ticker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of one guarded call across its attempts, seen by each attempt as its {@link AttemptContext}.
 *
 * <p>Not thread-safe: confined to the calling thread.
 */
public final class CallState implements AttemptContext {

    private final String operation;
    private final long startNanos;
    private final long deadlineNanos;
    private final Ticker ticker;
    private int attempt;
    private Fault lastFault;
    private Fault previousFault;
    private List<Throwable> earlier;

    public CallState(String operation, long startNanos, long deadlineNanos, Ticker ticker) {
        this.operation = operation;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        this.ticker = ticker;
    }

    /** Moves to the next attempt; the last attempt's fault becomes the previous fault. */
    public void nextAttempt() {
        attempt++;
        previousFault = lastFault;
        lastFault = null;
    }

    /** Keeps the failure of an attempt that will be retried. */
    public void failed(Throwable failure) {
        if (earlier == null) {
            earlier = new ArrayList<>(4);
        }
        earlier.add(failure);
    }

    /** Adds the failures of earlier attempts, oldest first, as suppressed exceptions of {@code failure}. */
    public <E extends Throwable> E withEarlierFailures(E failure) {
        if (earlier != null) {
            for (Throwable previous : earlier) {
                if (previous != failure) {
                    failure.addSuppressed(previous);
                }
            }
        }
        return failure;
    }

    /** Records the fault of the current attempt. */
    public void fault(Fault fault) {
        this.lastFault = fault;
    }

    /** The fault of the current attempt, or {@code null}. */
    public Fault lastFault() {
        return lastFault;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Nanoseconds left until the deadline at ticker reading {@code now}. */
    public long remainingNanos(long now) {
        return deadlineNanos - now;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Duration remaining() {
        return Duration.ofNanos(deadlineNanos - ticker.nanoTime());
    }

    @Override
    public Optional<Fault> previousFault() {
        return Optional.ofNullable(previousFault);
    }

    @Override
    public String operation() {
        return operation;
    }
}
