package dev.bulwark.jdbc;

import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one unit of work runs: isolation, read-only, its own deadline, whether it is idempotent, and an
 * optional cap on attempts.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}. {@link #defaults()} keeps the driver's
 * isolation, a read-write transaction, the data source's deadline and attempts, and treats the work as
 * not idempotent (a lost commit acknowledgement is resolved, never blindly replayed).
 */
public final class TransactionOptions {

    private static final TransactionOptions DEFAULTS = builder().build();

    private final int isolation;
    private final boolean readOnly;
    private final Duration deadline;
    private final boolean idempotent;
    private final int maxAttempts;

    private TransactionOptions(Builder b) {
        this.isolation = b.isolation;
        this.readOnly = b.readOnly;
        this.deadline = b.deadline;
        this.idempotent = b.idempotent;
        this.maxAttempts = b.maxAttempts;
    }

    /** The defaults described in the class comment. */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.isolation = isolation;
        b.readOnly = readOnly;
        b.deadline = deadline;
        b.idempotent = idempotent;
        b.maxAttempts = maxAttempts;
        return b;
    }

    /** The {@link Connection} isolation constant, or empty to keep the connection's default. */
    public OptionalInt isolation() {
        return isolation < 0 ? OptionalInt.empty() : OptionalInt.of(isolation);
    }

    /** Whether the transaction is read-only. */
    public boolean readOnly() {
        return readOnly;
    }

    /** This unit's total deadline, or empty to use the data source's. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** Whether running the work twice is the same as running it once. */
    public boolean idempotent() {
        return idempotent;
    }

    /** A cap on attempts (including the first), or empty to use the data source's. */
    public OptionalInt maxAttempts() {
        return maxAttempts == 0 ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
    }

    @Override
    public String toString() {
        return "TransactionOptions[isolation=" + (isolation < 0 ? "default" : isolation) + ", readOnly=" + readOnly
                + ", deadline=" + (deadline == null ? "default" : deadline) + ", idempotent=" + idempotent
                + ", maxAttempts=" + (maxAttempts == 0 ? "default" : maxAttempts) + "]";
    }

    /** Builds {@link TransactionOptions}; each method rejects bad input at once. Not thread-safe. */
    public static final class Builder {
        private int isolation = -1;
        private boolean readOnly;
        private Duration deadline;
        private boolean idempotent;
        private int maxAttempts;

        private Builder() {
        }

        /**
         * Sets the isolation level.
         *
         * @param level one of {@link Connection#TRANSACTION_READ_UNCOMMITTED}, {@code READ_COMMITTED},
         *              {@code REPEATABLE_READ}, {@code SERIALIZABLE}
         * @throws IllegalArgumentException for any other value, naming it
         */
        public Builder withIsolation(int level) {
            if (level != Connection.TRANSACTION_READ_UNCOMMITTED && level != Connection.TRANSACTION_READ_COMMITTED
                    && level != Connection.TRANSACTION_REPEATABLE_READ && level != Connection.TRANSACTION_SERIALIZABLE) {
                throw new IllegalArgumentException("isolation: " + level + " is not a java.sql.Connection "
                        + "TRANSACTION_* level (1, 2, 4 or 8)");
            }
            this.isolation = level;
            return this;
        }

        /** Makes the transaction read-only (or read-write). */
        public Builder withReadOnly(boolean value) {
            this.readOnly = value;
            return this;
        }

        /**
         * Gives this unit its own total deadline, retries and backoff included.
         *
         * @throws IllegalArgumentException if the deadline is null, zero or negative
         */
        public Builder withDeadline(Duration value) {
            Objects.requireNonNull(value, "deadline");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("deadline: must be positive, was " + value);
            }
            this.deadline = value;
            return this;
        }

        /** Declares that running the work twice has the same effect as running it once. */
        public Builder withIdempotent(boolean value) {
            this.idempotent = value;
            return this;
        }

        /**
         * Caps attempts for this unit (1 disables retries).
         *
         * @throws IllegalArgumentException if {@code value} is less than 1
         */
        public Builder withMaxAttempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxAttempts: must be at least 1, was " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /** The options. */
        public TransactionOptions build() {
            return new TransactionOptions(this);
        }
    }
}
