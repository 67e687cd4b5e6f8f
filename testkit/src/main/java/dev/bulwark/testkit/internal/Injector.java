package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ChaosAction;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.FaultPoint;
import dev.bulwark.testkit.InjectedFault;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per call, whether a {@link ChaosPlan} injects a fault, applies it and keeps the log.
 *
 * <p>Thread-safe: the decision for one call (call numbering, rule counters, random draws, the log)
 * happens under one lock, so a single-threaded sequence of calls gets the same decisions for the
 * same seed; with several threads each call number still gets the same decision, but which thread
 * makes which call depends on scheduling. Latency and the real call happen outside the lock.
 */
public final class Injector {

    private static final Logger LOG = LoggerFactory.getLogger("dev.bulwark.testkit.ChaosDataSource");
    private static final Logger SQL_LOG = LoggerFactory.getLogger("dev.bulwark.testkit.ChaosDataSource.sql");
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** The real operation at a fault point. */
    @FunctionalInterface
    public interface Call {
        Object proceed() throws Throwable;
    }

    private final ChaosPlan plan;
    private final Instant start;
    private final Map<FaultPoint, AtomicLong> calls = new EnumMap<>(FaultPoint.class);
    private final Map<FaultPoint, AtomicLong> injections = new EnumMap<>(FaultPoint.class);
    private final List<RuleState> rules = new ArrayList<>();
    private final List<InjectedFault> log = new ArrayList<>();

    public Injector(ChaosPlan plan) {
        this.plan = plan;
        this.start = plan.clock().instant();
        for (FaultPoint p : FaultPoint.values()) {
            calls.put(p, new AtomicLong());
            injections.put(p, new AtomicLong());
        }
        List<ChaosRule> list = plan.rules();
        for (int i = 0; i < list.size(); i++) {
            // Each rule has its own stream, so one rule's draws never shift another's.
            rules.add(new RuleState(i, list.get(i), new SplittableRandom(plan.seed() + GOLDEN_GAMMA * (i + 1))));
        }
    }

    /** Runs {@code call} at {@code point}, unless the plan injects a fault into it. */
    public Object intercept(FaultPoint point, String sql, Connection real, Call call) throws Throwable {
        InjectedFault fault = decide(point, sql);
        if (fault == null) {
            return call.proceed();
        }
        ChaosAction action = fault.action();
        if (action instanceof ChaosAction.Fail fail) {
            throw fail.error().toException(prefix(fault));
        }
        if (action instanceof ChaosAction.Delay delay) {
            sleep(delay.latency(), fault);
            return call.proceed();
        }
        if (action instanceof ChaosAction.CloseConnection) {
            real.close();
            return call.proceed(); // the driver reports the closed connection in its own words
        }
        call.proceed(); // the real commit or statement takes effect ...
        SQLException lost = new SQLNonTransientConnectionException(prefix(fault)
                + "connection lost before the acknowledgement arrived (the operation did take effect)",
                ChaosAction.LoseAcknowledgement.SQL_STATE);
        try {
            real.close(); // ... and its acknowledgement is lost with the connection
        } catch (SQLException e) {
            lost.addSuppressed(e);
        }
        throw lost;
    }

    /** Counts a call at {@code point} and returns the fault to inject, or {@code null}. */
    public InjectedFault decide(FaultPoint point, String sql) {
        InjectedFault fired = null;
        synchronized (this) {
            long number = calls.get(point).incrementAndGet();
            Duration elapsed = Duration.between(start, plan.clock().instant());
            for (RuleState rule : rules) {
                if (rule.selects(point, sql, elapsed) && fired == null) {
                    rule.fired++;
                    fired = new InjectedFault(point, number, rule.index, rule.rule.toString(), rule.rule.action(),
                            rule.rule.action().sqlState(), elapsed);
                    log.add(fired);
                    injections.get(point).incrementAndGet();
                }
            }
        }
        if (fired != null) {
            LOG.info("chaos seed={}: {} call #{}: rule {} [{}] injected{}", plan.seed(), point, fired.call(),
                    fired.ruleIndex(), fired.rule(), fired.sqlState() == null ? "" : " SQLState " + fired.sqlState());
            if (sql != null) {
                SQL_LOG.debug("chaos seed={}: {} call #{} SQL: {}", plan.seed(), point, fired.call(), sql);
            }
        }
        return fired;
    }

    /** The seed of the plan. */
    public long seed() {
        return plan.seed();
    }

    /** Calls seen at {@code point}. */
    public long calls(FaultPoint point) {
        return calls.get(point).get();
    }

    /** Faults injected at {@code point}. */
    public long injections(FaultPoint point) {
        return injections.get(point).get();
    }

    /** An immutable copy of the log. */
    public synchronized List<InjectedFault> injected() {
        return List.copyOf(log);
    }

    /** The message prefix of the kit's own exceptions: enough to repeat the run. */
    public String prefix(InjectedFault fault) {
        return "ChaosDataSource (seed " + plan.seed() + ") injected at " + fault.point() + " call #" + fault.call()
                + " by rule " + fault.ruleIndex() + ": ";
    }

    /** Sleeps for an injected latency; an interrupt ends it with an SQLException, the flag kept. */
    public static void sleep(Duration latency, InjectedFault fault) throws SQLException {
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientException("interrupted during injected latency at " + fault.point()
                    + " call #" + fault.call(), e);
        }
    }

    private static final class RuleState {
        final int index;
        final ChaosRule rule;
        final SplittableRandom random;
        long eligible;
        long fired;

        RuleState(int index, ChaosRule rule, SplittableRandom random) {
            this.index = index;
            this.rule = rule;
            this.random = random;
        }

        boolean selects(FaultPoint point, String sql, Duration elapsed) {
            if (rule.point() != point) {
                return false;
            }
            if (rule.sqlPattern() != null && (sql == null || !rule.sqlPattern().matcher(sql).find())) {
                return false;
            }
            if (rule.windowFrom() != null
                    && (elapsed.compareTo(rule.windowFrom()) < 0 || elapsed.compareTo(rule.windowTo()) >= 0)) {
                return false;
            }
            long n = ++eligible;
            // Drawn for every eligible call, so the sequence depends only on the seed and the eligible calls.
            boolean drawn = rule.rate() >= 1.0 || random.nextDouble() < rule.rate();
            boolean counted = (rule.call() == 0 || n == rule.call()) && (rule.every() == 0 || n % rule.every() == 0);
            boolean underLimit = rule.limit() == 0 || fired < rule.limit();
            return drawn && counted && underLimit;
        }
    }
}
