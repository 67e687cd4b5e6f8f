package dev.bulwark.core;

import java.time.Duration;
import java.util.Optional;

/**
 * What an {@link Attempt} knows about its call: which attempt it is and how much of the deadline is left,
 * to be pushed into {@code Statement.setQueryTimeout} and {@code Connection.setNetworkTimeout}.
 *
 * <p>Valid only during the attempt, on the thread that runs it.
 */
public interface AttemptContext {

    /** The attempt number, starting at 1. */
    int attempt();

    /** The time left until the call's deadline; zero or negative once it has passed. */
    Duration remaining();

    /** The time left in whole seconds rounded up, at least 1: the value for {@code setQueryTimeout}. */
    default int remainingSecondsCeil() {
        long nanos = remaining().toNanos();
        long seconds = (nanos + 999_999_999L) / 1_000_000_000L;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    /** The fault of the previous attempt, empty on the first attempt. */
    Optional<Fault> previousFault();

    /** The call's operation label from {@link CallOptions#operation()}. */
    String operation();
}
