package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

import java.time.Duration;

/**
 * Settings the JDBC layer applies to statements and commits ({@code bulwark.jdbc.*}).
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class JdbcConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.jdbc.";

    JdbcConfig(PropertyValues source) {
        super(source, PREFIX);
    }

    /** The defaults of every {@code bulwark.jdbc.*} property. */
    public static JdbcConfig defaults() {
        return new JdbcConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** Result-size guard; zero means off ({@code bulwark.jdbc.maxRows}). */
    public int maxRows() {
        return values.get(BulwarkProperties.JDBC_MAX_ROWS);
    }

    /** Default fetch size; zero means the driver's default ({@code bulwark.jdbc.fetchSize}). */
    public int fetchSize() {
        return values.get(BulwarkProperties.JDBC_FETCH_SIZE);
    }

    /** Statements slower than this are reported; zero means off ({@code bulwark.jdbc.slowStatementThreshold}). */
    public Duration slowStatementThreshold() {
        return values.get(BulwarkProperties.JDBC_SLOW_STATEMENT_THRESHOLD);
    }

    /** How a lost commit acknowledgement is resolved ({@code bulwark.jdbc.commitResolution}). */
    public CommitResolution commitResolution() {
        return values.get(BulwarkProperties.JDBC_COMMIT_RESOLUTION);
    }

    /** Whether Bulwark may create its commit-ledger table where resolution needs one. */
    public boolean createCommitLedger() {
        return values.get(BulwarkProperties.JDBC_COMMIT_LEDGER_CREATE);
    }

    /**
     * Builds a {@link JdbcConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not in 0..2147483647 */
        public Builder withMaxRows(int maxRows) {
            values.set(BulwarkProperties.JDBC_MAX_ROWS, maxRows);
            return this;
        }

        /** @throws IllegalArgumentException if not in 0..1000000 */
        public Builder withFetchSize(int fetchSize) {
            values.set(BulwarkProperties.JDBC_FETCH_SIZE, fetchSize);
            return this;
        }

        /** @throws IllegalArgumentException if not in 0ms..1h */
        public Builder withSlowStatementThreshold(Duration slowStatementThreshold) {
            values.set(BulwarkProperties.JDBC_SLOW_STATEMENT_THRESHOLD, slowStatementThreshold);
            return this;
        }

        /** Sets the value. */
        /** @throws NullPointerException if null */
        public Builder withCommitResolution(CommitResolution commitResolution) {
            values.set(BulwarkProperties.JDBC_COMMIT_RESOLUTION, commitResolution);
            return this;
        }

        /** Allows (or forbids) Bulwark to create its commit-ledger table. */
        public Builder withCreateCommitLedger(boolean create) {
            values.set(BulwarkProperties.JDBC_COMMIT_LEDGER_CREATE, create);
            return this;
        }

        /** The config. */
        public JdbcConfig build() {
            return new JdbcConfig(values);
        }
    }
}
