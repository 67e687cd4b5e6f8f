package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.ConnectionHandler;
import dev.bulwark.testkit.internal.Injector;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A DataSource that wraps any other and injects the faults of a seeded {@link ChaosPlan}, so code
 * under test meets SQL errors, latency, dropped connections and lost commit acknowledgements at
 * chosen, reproducible moments.
 *
 * <pre>{@code
 * ChaosDataSource chaos = ChaosDataSource.wrap(dataSource, ChaosPlan.builder().withSeed(42)
 *         .on(ChaosRule.atCommit().withCall(1).loseAcknowledgement())
 *         .build());
 * dao.save(chaos, order);           // the row is committed, the caller gets SQLState 08006
 * chaos.injected();                 // [InjectedFault[point=COMMIT, call=1, ...]]
 * }</pre>
 *
 * <p>What the caller sees, per {@link ChaosAction}:
 * <ul>
 * <li>{@link ChaosAction.Fail}: the chosen {@link SQLException}, raised before the call reaches the
 *     database (at COMMIT the transaction stays open; roll it back as after any failed commit). The
 *     message starts with the seed, the point, the call number and the rule.</li>
 * <li>{@link ChaosAction.Delay}: the call, made after the latency.</li>
 * <li>{@link ChaosAction.CloseConnection}: the real connection is closed, then the call is made on
 *     it, so the caller gets the driver's own closed-connection error; at ACQUIRE the caller gets a
 *     connection whose first use fails that way.</li>
 * <li>{@link ChaosAction.LoseAcknowledgement}: the commit (or autocommit statement) takes effect,
 *     the real connection is closed, and the caller gets SQLState 08006.</li>
 * </ul>
 *
 * <p>Each injection is logged at INFO through SLF4J (logger {@code dev.bulwark.testkit.ChaosDataSource}:
 * seed, point, call number, rule, SQLState; never SQL text or bind values) and kept in
 * {@link #injected()}. The SQL text of a call that met a fault is logged at DEBUG under
 * {@code dev.bulwark.testkit.ChaosDataSource.sql}. To repeat a run, build the plan again with the
 * reported {@link #seed()}.
 *
 * <p>Thread-safe: many threads may share one instance. Calls are numbered atomically per fault
 * point, over all connections. A single-threaded sequence of calls gets the same faults for the
 * same seed; with several threads, call number <i>n</i> gets the same decision, but which thread
 * makes call <i>n</i> depends on scheduling. Connections and statements are {@link java.lang.reflect.Proxy}
 * wrappers; result sets and metadata are the driver's own.
 */
public final class ChaosDataSource implements DataSource {

    private final DataSource target;
    private final ChaosPlan plan;
    private final Injector injector;

    private ChaosDataSource(DataSource target, ChaosPlan plan) {
        this.target = target;
        this.plan = plan;
        this.injector = new Injector(plan);
    }

    /**
     * Wraps {@code target}; the plan's time windows start now, by the plan's clock.
     *
     * @throws NullPointerException if an argument is null
     */
    public static ChaosDataSource wrap(DataSource target, ChaosPlan plan) {
        return new ChaosDataSource(Objects.requireNonNull(target, "target"), Objects.requireNonNull(plan, "plan"));
    }

    /** The plan. */
    public ChaosPlan plan() {
        return plan;
    }

    /** The plan's seed: build the plan again {@link ChaosPlan.Builder#withSeed with it} to repeat a run. */
    public long seed() {
        return plan.seed();
    }

    /** The faults injected so far, oldest first; an immutable snapshot. */
    public List<InjectedFault> injected() {
        return injector.injected();
    }

    /** How many calls were made at {@code point} (with or without a fault). */
    public long calls(FaultPoint point) {
        return injector.calls(Objects.requireNonNull(point, "point"));
    }

    /** How many faults were injected at {@code point}. */
    public long injections(FaultPoint point) {
        return injector.injections(Objects.requireNonNull(point, "point"));
    }

    /** A multi-line summary for a failure message: the seed and every injected fault. */
    public String report() {
        List<InjectedFault> faults = injected();
        return "ChaosDataSource seed=" + seed() + " (repeat with ChaosPlan.builder().withSeed(" + seed() + "L)), "
                + faults.size() + " fault(s) injected" + faults.stream()
                .map(f -> "\n  " + f.point() + " call #" + f.call() + " rule " + f.ruleIndex() + " [" + f.rule() + "]"
                        + (f.sqlState() == null ? "" : " SQLState " + f.sqlState()) + " at +" + f.elapsed())
                .collect(Collectors.joining());
    }

    /** A connection from the wrapped DataSource, unless the plan injects a fault at ACQUIRE. */
    @Override
    public Connection getConnection() throws SQLException {
        return acquire(target::getConnection);
    }

    /** A connection from the wrapped DataSource, unless the plan injects a fault at ACQUIRE. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return acquire(() -> target.getConnection(username, password));
    }

    private Connection acquire(Acquirer acquirer) throws SQLException {
        InjectedFault fault = injector.decide(FaultPoint.ACQUIRE, null);
        ChaosAction action = fault == null ? null : fault.action();
        if (action instanceof ChaosAction.Fail fail) {
            throw fail.error().toException(injector.prefix(fault));
        }
        if (action instanceof ChaosAction.Delay delay) {
            Injector.sleep(delay.latency(), fault);
        }
        Connection real = acquirer.get();
        if (action instanceof ChaosAction.CloseConnection) {
            real.close(); // handed out dead underneath, like a stale pooled connection
        }
        return ConnectionHandler.wrap(real, injector);
    }

    @FunctionalInterface
    private interface Acquirer {
        Connection get() throws SQLException;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    /** This instance when it is an {@code iface}, else the wrapped DataSource's answer. */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "ChaosDataSource[seed=" + seed() + ", " + target + "]";
    }
}
