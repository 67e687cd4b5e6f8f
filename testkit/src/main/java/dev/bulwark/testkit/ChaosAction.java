package dev.bulwark.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ChaosRule} does to a call it selects. The set is closed: raise an error, add
 * latency, close the physical connection, or let the operation succeed and lose its acknowledgement.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface ChaosAction {

    /** The SQLState the caller sees because of this action, or {@code null} when the driver decides. */
    String sqlState();

    /** Raise {@code error} instead of making the call; nothing reaches the database. */
    record Fail(ChaosError error) implements ChaosAction {
        /** @throws NullPointerException if error is null */
        public Fail {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String sqlState() {
            return error.sqlState();
        }
    }

    /** Sleep for {@code latency}, then make the call as usual. */
    record Delay(Duration latency) implements ChaosAction {
        /** @throws IllegalArgumentException if latency is not positive */
        public Delay {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative() || latency.isZero()) {
                throw new IllegalArgumentException("latency must be positive, was " + latency);
            }
        }

        @Override
        public String sqlState() {
            return null;
        }
    }

    /**
     * Close the real connection, then make the call on it, so the caller meets the driver's own
     * closed-connection error; at {@link FaultPoint#ACQUIRE} the caller gets a connection that is
     * already closed underneath.
     */
    record CloseConnection() implements ChaosAction {
        @Override
        public String sqlState() {
            return null;
        }
    }

    /**
     * Make the call for real (the commit, or an autocommit statement, takes effect), then close the
     * real connection and raise SQLState 08006 ({@link java.sql.SQLNonTransientConnectionException}:
     * a blind retry is not safe), exactly as a connection lost before the reply would. If the real
     * call fails, its own error is raised instead (the fault is still recorded). At EXECUTE this is
     * meaningful for autocommit statements.
     */
    record LoseAcknowledgement() implements ChaosAction {
        /** The SQLState raised: connection failure. */
        public static final String SQL_STATE = "08006";

        @Override
        public String sqlState() {
            return SQL_STATE;
        }
    }
}
