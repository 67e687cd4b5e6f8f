package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

/**
 * Rate-limit settings ({@code bulwark.rateLimit.*}): attempts allowed per second; one more is refused at once with a {@link RateLimitedException}, never delayed.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class RateLimitConfig extends ConfigGroup {

    static final String PREFIX = "bulwark.rateLimit.";

    RateLimitConfig(PropertyValues source) {
        super(source, PREFIX);
    }

    /** The defaults of every {@code bulwark.rateLimit.*} property. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /** Attempts allowed per second; zero means no rate limit ({@code bulwark.rateLimit.perSecond}). */
    public int perSecond() {
        return values.get(BulwarkProperties.RATE_LIMIT_PER_SECOND);
    }

    /**
     * Builds a {@link RateLimitConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not in 0..1000000 */
        public Builder withPerSecond(int perSecond) {
            values.set(BulwarkProperties.RATE_LIMIT_PER_SECOND, perSecond);
            return this;
        }

        /** The config. */
        public RateLimitConfig build() {
            return new RateLimitConfig(values);
        }
    }
}
