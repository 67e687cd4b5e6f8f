package dev.bulwark.benchmarks.jmh;

import dev.bulwark.core.Attempt;
import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BreakerState;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.Faults;
import dev.bulwark.core.Guard;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * The failure paths: classifying a typical exception, refusing a call while the breaker is open, and one
 * retry with zero backoff (the work fails with SQLState 40001 once, then succeeds), each beside the
 * peers' equivalents. Exceptions thrown by the work are allocated once, as the driver's cost is not
 * Bulwark's; the exceptions the libraries raise themselves are theirs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FailurePathBenchmark {

    /** What a framework hands up: its own wrapper around pgjdbc's serialization failure. */
    private static final RuntimeException WRAPPED_40001 = new IllegalStateException("could not execute statement",
            new PSQLException("ERROR: could not serialize access due to concurrent update",
                    PSQLState.SERIALIZATION_FAILURE));

    private static final SQLException SERIALIZATION_FAILURE = new PSQLException(
            "ERROR: could not serialize access due to concurrent update", PSQLState.SERIALIZATION_FAILURE);

    private Guard openGuard;
    private CheckedSupplier<Integer> openResilience4j;
    private FailsafeExecutor<Integer> openFailsafe;

    private Guard retryGuard;
    private CheckedSupplier<Integer> retryResilience4j;
    private FailsafeExecutor<Integer> retryFailsafe;

    private int calls;
    private final Attempt<Integer> flakyAttempt = context -> flaky();
    private final dev.failsafe.function.CheckedSupplier<Integer> flakySupplier = this::flaky;
    private final Attempt<Integer> unreachable = context -> {
        throw new AssertionError("an open breaker let a call through");
    };

    /** Fails every other call with 40001: each benchmark call is one failure, one retry, one success. */
    private int flaky() throws SQLException {
        if ((calls++ & 1) == 0) {
            throw SERIALIZATION_FAILURE;
        }
        return 1;
    }

    @Setup(Level.Trial)
    public void open() throws Throwable {
        Fault fault = Faults.classify(WRAPPED_40001);
        if (fault.kind() != FaultKind.TRANSIENT) {
            throw new IllegalStateException("expected 40001 in the chain to classify as TRANSIENT, got " + fault);
        }
        // An open breaker that stays open for the whole trial (the default waits 100 ms, then probes).
        openGuard = Peers.guard(BulwarkConfig.builder().withName("bench")
                .withBreaker(BreakerConfig.builder().withWaitInOpenState(Duration.ofHours(1)).build()).build());
        SQLException refused = new SQLTransientConnectionException("connection refused", "08001");
        for (int i = 0; i < 100 && openGuard.breakerState() != BreakerState.OPEN; i++) {
            try {
                openGuard.execute(context -> {
                    throw refused;
                });
            } catch (SQLException expected) {
                // each failure counts toward the breaker
            }
        }
        if (openGuard.breakerState() != BreakerState.OPEN) {
            throw new IllegalStateException("could not open Bulwark's breaker: " + openGuard);
        }
        CircuitBreaker r4jBreaker = Peers.resilience4jBreaker();
        r4jBreaker.transitionToForcedOpenState();
        openResilience4j = Retry.decorateCheckedSupplier(Peers.resilience4jRetry(),
                CircuitBreaker.decorateCheckedSupplier(r4jBreaker, () -> 1));
        dev.failsafe.CircuitBreaker<Integer> failsafeBreaker = Peers.failsafeBreaker();
        failsafeBreaker.open();
        openFailsafe = Peers.failsafe(failsafeBreaker);

        retryGuard = Peers.guard();
        retryResilience4j = Retry.decorateCheckedSupplier(Peers.resilience4jRetry(),
                CircuitBreaker.decorateCheckedSupplier(Peers.resilience4jBreaker(), this::flaky));
        retryFailsafe = Peers.failsafe(Peers.failsafeBreaker());
        int before = calls;
        retryGuard.execute(flakyAttempt);
        if (calls - before != 2) {
            throw new IllegalStateException("expected one failure and one retry, got " + (calls - before) + " calls");
        }
    }

    @Benchmark
    public Fault classify() {
        return Faults.classify(WRAPPED_40001);
    }

    @Benchmark
    public Object rejectOpenBulwark() throws SQLException {
        try {
            return openGuard.execute(unreachable);
        } catch (CircuitOpenException e) {
            return e;
        }
    }

    @Benchmark
    public Object rejectOpenResilience4j() throws Throwable {
        try {
            return openResilience4j.get();
        } catch (CallNotPermittedException e) {
            return e;
        }
    }

    @Benchmark
    public Object rejectOpenFailsafe() {
        try {
            return openFailsafe.get(() -> 1);
        } catch (CircuitBreakerOpenException e) {
            return e;
        }
    }

    @Benchmark
    public int retryOnceBulwark() throws SQLException {
        return retryGuard.execute(flakyAttempt);
    }

    @Benchmark
    public int retryOnceResilience4j() throws Throwable {
        return retryResilience4j.get();
    }

    @Benchmark
    public int retryOnceFailsafe() {
        return retryFailsafe.get(flakySupplier);
    }
}
