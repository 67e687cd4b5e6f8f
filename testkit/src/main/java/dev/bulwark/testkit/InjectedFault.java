package dev.bulwark.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault a {@link ChaosDataSource} injected.
 *
 * <p>Immutable and thread-safe.
 *
 * @param point where the fault was injected
 * @param call the 1-based number of the call at that point, counted over the whole ChaosDataSource
 * @param ruleIndex the 0-based index of the rule in {@link ChaosPlan#rules()}
 * @param rule the rule's description
 * @param action what was done
 * @param sqlState the SQLState raised by the kit itself, or {@code null} (latency; a closed
 *        connection, where the driver raises its own error)
 * @param elapsed time since the plan started, by the plan's clock
 */
public record InjectedFault(FaultPoint point, long call, int ruleIndex, String rule, ChaosAction action,
                            String sqlState, Duration elapsed) {

    /** Checks that the required parts are present. */
    public InjectedFault {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
