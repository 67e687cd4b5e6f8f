package dev.bulwark.core.internal;

import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BreakerState;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.Fault;
import dev.bulwark.core.PolicyEvent;
import dev.bulwark.core.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The circuit breaker of one data source, on Resilience4j's state machine with a count-based window.
 * Only faults whose kind {@linkplain dev.bulwark.core.FaultKind#countsTowardBreaker() counts} are
 * recorded as failures; any other fault proves the database answered and is recorded as a success.
 * Time comes from the injected ticker; there is no scheduler thread: an open breaker turns half-open on
 * the first call after the wait.
 *
 * <p>Thread-safe.
 */
public final class BreakerPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(BreakerPolicy.class);

    private final String name;
    private final CircuitBreaker breaker;
    private final Ticker ticker;
    private final long waitNanos;
    private final EventDispatcher events;
    private final int windowSize;
    private volatile long openedAt;
    /** When the last probe went through a half-open breaker (ticker time). */
    private volatile long lastProbeAt;
    /**
     * Successes recorded in a row into the current closed window (low 32 bits) and a generation (high 32
     * bits) that every failure and every state change advances, so that a count taken before either cannot
     * be carried past it. A lower bound: a success whose count lost a race is recorded but not counted.
     */
    private volatile long successRun;
    /** The state last reported; a transition is reported once, by the thread that swaps it. */
    private volatile CircuitBreaker.State seen;

    public BreakerPolicy(String name, BreakerConfig config, Ticker ticker, EventDispatcher events) {
        this.name = name;
        this.ticker = ticker;
        this.waitNanos = config.waitInOpenState().toNanos();
        this.windowSize = config.slidingWindowSize();
        CircuitBreakerConfig r4j = CircuitBreakerConfig.custom()
                .slidingWindow(config.slidingWindowSize(), config.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold((float) config.failureRateThreshold())
                .waitDurationInOpenState(config.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(config.permittedCallsInHalfOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(new TickerClock(ticker))
                .build();
        this.breaker = CircuitBreaker.of(name, r4j);
        this.events = events;
        this.seen = breaker.getState();
        // No subscription to Resilience4j's event publisher: with any consumer registered it builds an event,
        // stamped with ZonedDateTime.now(), on every success and error (two thirds of a guarded call's cost).
        // Transitions are observed instead by comparing the state after each operation of this policy.
    }

    /** {@link #acquire()} refused: refuse the call with {@link #rejection()}. */
    public static final int REFUSED = 0;
    /** {@link #acquire()} granted a permission of the breaker's own. */
    public static final int PERMITTED = 1;
    /** {@link #acquire()} let the call through as an extra probe past a half-open breaker's busy slots. */
    public static final int EXTRA_PROBE = 2;

    /** Asks for permission to attempt; {@code false} means refuse with {@link #rejection()}. */
    public boolean tryAcquire() {
        return acquire() != REFUSED;
    }

    /**
     * Asks for permission to attempt: {@link #PERMITTED}, {@link #EXTRA_PROBE} (give it back with
     * {@link #release(int)}), or {@link #REFUSED}.
     *
     * <p>A half-open breaker lets {@code permittedCallsInHalfOpen} probes through at once and refuses every
     * other call until they end. A probe stuck on a host that stopped answering (a connect to a frozen or
     * cut-off leader, which ends only at the deadline) would then hold every caller back for up to a whole
     * deadline after the cluster can take writes again, while the bare driver would already reach the new
     * leader (seen on Patroni through HAProxy). So while every slot is taken, one more call goes through as a
     * probe each {@code waitInOpenState}: a stuck probe delays the others by that wait, not by its deadline.
     */
    public int acquire() {
        boolean permitted = breaker.tryAcquirePermission();
        observe(); // an open breaker whose wait has passed turns half-open here
        if (breaker.getState() != CircuitBreaker.State.HALF_OPEN) {
            return permitted ? PERMITTED : REFUSED;
        }
        long now = ticker.nanoTime();
        long last = lastProbeAt;
        if (permitted) {
            LAST_PROBE.compareAndSet(this, last, now);
            return PERMITTED;
        }
        if (now - last >= waitNanos && LAST_PROBE.compareAndSet(this, last, now)) {
            return EXTRA_PROBE;
        }
        return REFUSED;
    }

    /** Gives back a permission {@link #acquire()} granted, without a verdict. */
    public void release(int permit) {
        if (permit == PERMITTED) {
            release();
        }
    }

    /** The exception refusing a call now. */
    public CircuitOpenException rejection() {
        BreakerState state = state();
        if (state == BreakerState.CLOSED || state == BreakerState.DISABLED) {
            // Only OPEN and HALF_OPEN refuse, and the breaker leaves them for CLOSED only through a probe's
            // success: that probe was in progress when this call was refused, and ended before this read.
            state = BreakerState.HALF_OPEN;
        }
        long untilProbe = state == BreakerState.OPEN ? Math.max(0, openedAt + waitNanos - ticker.nanoTime()) : 0;
        return new CircuitOpenException(name, state, Duration.ofNanos(untilProbe));
    }

    /** Records a successful attempt. */
    public void onSuccess() {
        long run = successRun;
        boolean closed = breaker.getState() == CircuitBreaker.State.CLOSED;
        if (closed && (int) run >= windowSize) {
            // The count-based window holds nothing but successes: recording one more would replace the oldest
            // success by a new one and change nothing, so skip Resilience4j's synchronized window. A failure
            // racing with this is ordered after it, which is what recording it would have allowed too.
            return;
        }
        breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        if (closed) {
            SUCCESS_RUN.compareAndSet(this, run, run + 1);
        }
        observe();
    }

    /** Records a failed attempt: a failure if its kind counts toward the breaker, else a success. */
    public void onFault(Fault fault, Throwable failure) {
        if (fault.kind().countsTowardBreaker()) {
            breaker.onError(0, TimeUnit.NANOSECONDS, failure);
            endSuccessRun();
            observe();
        } else {
            // The database answered (a constraint violation, a syntax error): evidence of health, not of an outage.
            onSuccess();
        }
    }

    /** Starts the count of successes in a row afresh, in a new generation. */
    private void endSuccessRun() {
        long run;
        do {
            run = successRun;
        } while (!SUCCESS_RUN.compareAndSet(this, run, ((run >>> 32) + 1) << 32));
    }

    /** Gives back a permission without a verdict (the attempt never reached the database or says nothing of it). */
    public void release() {
        breaker.releasePermission();
        observe();
    }

    /** Reports a state change since the last one reported: one volatile read when nothing changed. */
    private void observe() {
        CircuitBreaker.State now = breaker.getState();
        CircuitBreaker.State before = seen;
        if (now == before) {
            return;
        }
        endSuccessRun(); // a new state has a new window (or none)
        if (!SEEN.compareAndSet(this, before, now)) {
            return; // another thread is reporting this change
        }
        BreakerState from = map(before);
        BreakerState to = map(now);
        if (to == BreakerState.OPEN) {
            openedAt = ticker.nanoTime();
        }
        LOG.warn("{}: circuit breaker {} -> {}", name, from, to);
        events.emit(new PolicyEvent.BreakerTransition(name, "breaker", from, to));
    }

    /** The current state (an open breaker whose wait has passed still reads OPEN until the next call). */
    public BreakerState state() {
        return map(breaker.getState());
    }

    private static final VarHandle SEEN;
    private static final VarHandle SUCCESS_RUN;
    private static final VarHandle LAST_PROBE;

    static {
        try {
            SEEN = MethodHandles.lookup().findVarHandle(BreakerPolicy.class, "seen", CircuitBreaker.State.class);
            SUCCESS_RUN = MethodHandles.lookup().findVarHandle(BreakerPolicy.class, "successRun", long.class);
            LAST_PROBE = MethodHandles.lookup().findVarHandle(BreakerPolicy.class, "lastProbeAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static BreakerState map(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> BreakerState.CLOSED;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case DISABLED -> BreakerState.DISABLED;
            default -> BreakerState.OPEN;
        };
    }
}
