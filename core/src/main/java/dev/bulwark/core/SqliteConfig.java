package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

import java.time.Duration;

/**
 * SQLite settings applied to every pooled SQLite connection ({@code bulwark.sqlite.*}).
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class SqliteConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.sqlite.";

    SqliteConfig(PropertyValues source) {
        super(source, PREFIX);
    }

    /** The defaults of every {@code bulwark.sqlite.*} property. */
    public static SqliteConfig defaults() {
        return new SqliteConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** PRAGMA busy_timeout for every SQLite connection ({@code bulwark.sqlite.busyTimeout}). */
    public Duration busyTimeout() {
        return values.get(BulwarkProperties.SQLITE_BUSY_TIMEOUT);
    }

    /** Whether SQLite connections use WAL journal mode ({@code bulwark.sqlite.wal}). */
    public boolean wal() {
        return values.get(BulwarkProperties.SQLITE_WAL);
    }

    /**
     * Builds a {@link SqliteConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not in 0ms..1h */
        public Builder withBusyTimeout(Duration busyTimeout) {
            values.set(BulwarkProperties.SQLITE_BUSY_TIMEOUT, busyTimeout);
            return this;
        }

        /** Sets the value. */
        public Builder withWal(boolean wal) {
            values.set(BulwarkProperties.SQLITE_WAL, wal);
            return this;
        }

        /** The config. */
        public SqliteConfig build() {
            return new SqliteConfig(values);
        }
    }
}
