package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

/**
 * Bulkhead settings ({@code bulwark.bulkhead.*}): how many calls may run at once; one more is refused at once with a {@link BulkheadFullException}, never queued.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ConcurrencyConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.bulkhead.";

    ConcurrencyConfig(PropertyValues source) {
        super(source, PREFIX);
    }

    /** The defaults of every {@code bulwark.bulkhead.*} property. */
    public static ConcurrencyConfig defaults() {
        return new ConcurrencyConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** Calls allowed at once; zero means no bulkhead ({@code bulwark.bulkhead.maxConcurrent}). */
    public int maxConcurrent() {
        return values.get(BulwarkProperties.BULKHEAD_MAX_CONCURRENT);
    }

    /**
     * Builds a {@link ConcurrencyConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not in 0..1000000 */
        public Builder withMaxConcurrent(int maxConcurrent) {
            values.set(BulwarkProperties.BULKHEAD_MAX_CONCURRENT, maxConcurrent);
            return this;
        }

        /** The config. */
        public ConcurrencyConfig build() {
            return new ConcurrencyConfig(values);
        }
    }
}
