package dev.bulwark.core;

/**
 * Decides the {@link Fault} of a failure. Retry, circuit breaker and connection eviction all ask the
 * same classifier, so they never disagree.
 *
 * <p>Implementations must be thread-safe, must never throw, and must always return a fault
 * ({@link FaultKind#UNKNOWN} when nothing matches). {@link Faults#classify(Throwable)} is the default.
 */
@FunctionalInterface
public interface FaultClassifier {

    /**
     * Classifies {@code failure}, walking its causes, next exceptions and suppressed exceptions.
     *
     * @throws NullPointerException if {@code failure} is null
     */
    Fault classify(Throwable failure);
}
