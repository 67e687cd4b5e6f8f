package dev.bulwark.core;

/**
 * Classifies failures into {@link Fault}s.
 *
 * <p>Thread-safe.
 */
public final class Faults {

    private Faults() {
    }

    /**
     * Classifies a failure; never throws and always returns a fault.
     *
     * @throws NullPointerException if {@code failure} is null
     */
    public static Fault classify(Throwable failure) {
        throw new UnsupportedOperationException("classification is being built (issue 2)");
    }
}
