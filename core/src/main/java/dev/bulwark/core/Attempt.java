package dev.bulwark.core;

import java.sql.SQLException;

/**
 * One attempt of a guarded call, run by {@link Guard#execute}; it may run several times, so it must be
 * safe to repeat whenever the call's options allow retry.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Attempt<T> {

    /**
     * Runs the attempt. It should bound its database calls by {@link AttemptContext#remaining()}.
     *
     * @throws SQLException if the attempt fails; it is classified to decide on retry and breaker counting
     */
    T run(AttemptContext context) throws SQLException;
}
