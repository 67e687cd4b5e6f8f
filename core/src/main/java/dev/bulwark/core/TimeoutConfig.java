package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

import java.time.Duration;

import static dev.bulwark.core.BulwarkProperties.TIMEOUT_ACQUIRE;
import static dev.bulwark.core.BulwarkProperties.TIMEOUT_COMMIT;
import static dev.bulwark.core.BulwarkProperties.TIMEOUT_NETWORK;
import static dev.bulwark.core.BulwarkProperties.TIMEOUT_STATEMENT;
import static dev.bulwark.core.BulwarkProperties.TIMEOUT_STATEMENT_ON_SERVER;
import static dev.bulwark.core.BulwarkProperties.TIMEOUT_TOTAL;

/**
 * Timeouts ({@code bulwark.timeout.*}). They are enforced by JDBC means (pool acquire timeout,
 * {@code Statement.setQueryTimeout}, {@code Connection.setNetworkTimeout}), never by interrupting or
 * abandoning a thread; the total deadline bounds retries and is handed to each attempt.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class TimeoutConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.timeout.";

    TimeoutConfig(PropertyValues source) {
        super(source, PREFIX);
    }

    /** The defaults of every {@code bulwark.timeout.*} property. */
    public static TimeoutConfig defaults() {
        return new TimeoutConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** Deadline for obtaining a connection ({@code bulwark.timeout.acquire}). */
    public Duration acquire() {
        return values.get(TIMEOUT_ACQUIRE);
    }

    /** Default statement timeout; zero means none ({@code bulwark.timeout.statement}). */
    public Duration statement() {
        return values.get(TIMEOUT_STATEMENT);
    }

    /**
     * Whether PostgreSQL sessions enforce the default statement timeout themselves
     * ({@code bulwark.timeout.statementOnServer}).
     */
    public boolean statementOnServer() {
        return values.get(TIMEOUT_STATEMENT_ON_SERVER);
    }

    /** Timeout for COMMIT ({@code bulwark.timeout.commit}). */
    public Duration commit() {
        return values.get(TIMEOUT_COMMIT);
    }

    /** Network timeout; zero means none ({@code bulwark.timeout.network}). */
    public Duration network() {
        return values.get(TIMEOUT_NETWORK);
    }

    /** Total deadline of a call or unit of work ({@code bulwark.timeout.total}). */
    public Duration total() {
        return values.get(TIMEOUT_TOTAL);
    }

    /**
     * Builds a {@link TimeoutConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not in 1ms..1h */
        public Builder withAcquire(Duration timeout) {
            values.set(TIMEOUT_ACQUIRE, timeout);
            return this;
        }

        /** @throws IllegalArgumentException if not in 0ms..24h */
        public Builder withStatement(Duration timeout) {
            values.set(TIMEOUT_STATEMENT, timeout);
            return this;
        }

        /** Whether PostgreSQL sessions enforce the default statement timeout themselves (default true). */
        public Builder withStatementOnServer(boolean onServer) {
            values.set(TIMEOUT_STATEMENT_ON_SERVER, onServer);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1ms..1h */
        public Builder withCommit(Duration timeout) {
            values.set(TIMEOUT_COMMIT, timeout);
            return this;
        }

        /** @throws IllegalArgumentException if not in 0ms..24h */
        public Builder withNetwork(Duration timeout) {
            values.set(TIMEOUT_NETWORK, timeout);
            return this;
        }

        /** @throws IllegalArgumentException if not in 1ms..24h */
        public Builder withTotal(Duration deadline) {
            values.set(TIMEOUT_TOTAL, deadline);
            return this;
        }

        /** The config. */
        public TimeoutConfig build() {
            return new TimeoutConfig(values);
        }
    }
}
