package dev.bulwark.core;

import dev.bulwark.core.internal.ConfigLoader;
import dev.bulwark.core.internal.PropertyValues;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * All of Bulwark's configuration for one data source: retry, circuit breaker, timeouts, bulkhead, rate
 * limit, JDBC guards and SQLite settings. Every value is declared once in {@link BulwarkProperties}.
 *
 * <p>Loading precedence in {@link #load}: defaults &lt; the given properties (or JDBC URL query) &lt;
 * system properties &lt; environment variables, so operators can override an application's settings.
 * Keys outside {@code bulwark.*} are ignored; the namespace is matched in any letter case, so a miscased key
 * is an unknown one, not a skipped one. {@code bulwark.test.*} / {@code BULWARK_TEST_*} (the test kit) and
 * {@code bulwark.cli.*} / {@code BULWARK_CLI_*} (the command line's own settings), {@code bulwark.enabled} and
 * {@code bulwark.spring.*} (the Spring Boot starter's own switches, also as {@code BULWARK_ENABLED} and
 * {@code BULWARK_SPRING_*}) are reserved and ignored;
 * any other unknown key is an error suggesting the nearest key. Values are taken exactly as written (see
 * {@link BulwarkProperty#parse}). The {@code jdbc:bulwark:} driver reads the sources of {@link #load(Properties)}.
 *
 * <p>Immutable and thread-safe; {@code toString()} masks secret values.
 */
public final class BulwarkConfig {

    private static final String NAME_PREFIX = "bulwark.name";
    private static final String ALL = "bulwark.";

    private final PropertyValues values;
    private final String name;
    private final RetryConfig retry;
    private final BreakerConfig breaker;
    private final TimeoutConfig timeouts;
    private final ConcurrencyConfig bulkhead;
    private final RateLimitConfig rateLimit;
    private final JdbcConfig jdbc;
    private final SqliteConfig sqlite;

    private BulwarkConfig(PropertyValues source) {
        this.values = source.copy();
        this.name = values.get(BulwarkProperties.NAME);
        this.retry = new RetryConfig(values);
        this.breaker = new BreakerConfig(values);
        this.timeouts = new TimeoutConfig(values);
        this.bulkhead = new ConcurrencyConfig(values);
        this.rateLimit = new RateLimitConfig(values);
        this.jdbc = new JdbcConfig(values);
        this.sqlite = new SqliteConfig(values);
    }

    /** Every property at its default. */
    public static BulwarkConfig defaults() {
        return new BulwarkConfig(new PropertyValues());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(new PropertyValues());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /**
     * The defaults overridden by the {@code bulwark.*} entries of {@code properties} (also used for JDBC URL
     * query parameters); other keys are ignored.
     *
     * @throws IllegalArgumentException naming the key and value if a key is unknown or a value invalid
     */
    public static BulwarkConfig fromProperties(Properties properties) {
        PropertyValues values = new PropertyValues();
        ConfigLoader.applyKeys(values, entries(properties), "properties");
        return new BulwarkConfig(values);
    }

    /**
     * The defaults overridden by {@code bulwark.*} system properties.
     *
     * @throws IllegalArgumentException naming the key and value if a key is unknown or a value invalid
     */
    public static BulwarkConfig fromSystemProperties() {
        PropertyValues values = new PropertyValues();
        ConfigLoader.applyKeys(values, entries(System.getProperties()), "system properties");
        return new BulwarkConfig(values);
    }

    /**
     * The defaults overridden by {@code BULWARK_*} variables such as {@code BULWARK_RETRY_MAX_ATTEMPTS}.
     *
     * @throws IllegalArgumentException naming the variable and value if a name is unknown or a value invalid
     */
    public static BulwarkConfig fromEnvironment(Map<String, String> environment) {
        PropertyValues values = new PropertyValues();
        ConfigLoader.applyEnvironment(values, environment);
        return new BulwarkConfig(values);
    }

    /**
     * Defaults &lt; {@code properties} &lt; system properties &lt; the process environment.
     *
     * @throws IllegalArgumentException naming the source, key and value if a key is unknown or a value invalid
     */
    public static BulwarkConfig load(Properties properties) {
        return load(properties, System.getProperties(), System.getenv());
    }

    /**
     * Defaults &lt; {@code properties} &lt; {@code systemProperties} &lt; {@code environment}.
     *
     * @throws IllegalArgumentException naming the source, key and value if a key is unknown or a value invalid
     */
    public static BulwarkConfig load(Properties properties, Properties systemProperties,
                                     Map<String, String> environment) {
        PropertyValues values = new PropertyValues();
        ConfigLoader.applyKeys(values, entries(properties), "properties");
        ConfigLoader.applyKeys(values, entries(systemProperties), "system properties");
        ConfigLoader.applyEnvironment(values, environment);
        return new BulwarkConfig(values);
    }

    private static Map<String, String> entries(Properties properties) {
        Map<String, String> entries = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            entries.put(key, properties.getProperty(key));
        }
        return entries;
    }

    /** The value of any property. */
    public <T> T get(BulwarkProperty<T> property) {
        return values.get(Objects.requireNonNull(property, "property"));
    }

    /** The data source's name in logs, events and messages ({@code bulwark.name}). */
    public String name() {
        return name;
    }

    /** Retry settings. */
    public RetryConfig retry() {
        return retry;
    }

    /** Circuit-breaker settings. */
    public BreakerConfig breaker() {
        return breaker;
    }

    /** Timeouts. */
    public TimeoutConfig timeouts() {
        return timeouts;
    }

    /** Bulkhead settings. */
    public ConcurrencyConfig bulkhead() {
        return bulkhead;
    }

    /** Rate-limit settings. */
    public RateLimitConfig rateLimit() {
        return rateLimit;
    }

    /** JDBC-layer guards. */
    public JdbcConfig jdbc() {
        return jdbc;
    }

    /** SQLite settings. */
    public SqliteConfig sqlite() {
        return sqlite;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BulwarkConfig that && values.sameAs(that.values, ALL);
    }

    @Override
    public int hashCode() {
        return values.hash(ALL);
    }

    /** Every property and its value; secret values are masked. */
    @Override
    public String toString() {
        return "BulwarkConfig" + values.describe(ALL);
    }

    /**
     * Builds a {@link BulwarkConfig}; each {@code with*} rejects a bad value at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final PropertyValues values;

        private Builder(PropertyValues values) {
            this.values = values;
        }

        /** @throws IllegalArgumentException if not 1 to 64 of {@code A-Z a-z 0-9 . _ -} */
        public Builder withName(String name) {
            values.set(BulwarkProperties.NAME, name);
            return this;
        }

        /** Replaces every retry setting. */
        public Builder withRetry(RetryConfig retry) {
            values.setAll(retry.values(), RetryConfig.PREFIX);
            return this;
        }

        /** Replaces every circuit-breaker setting. */
        public Builder withBreaker(BreakerConfig breaker) {
            values.setAll(breaker.values(), BreakerConfig.PREFIX);
            return this;
        }

        /** Replaces every timeout. */
        public Builder withTimeouts(TimeoutConfig timeouts) {
            values.setAll(timeouts.values(), TimeoutConfig.PREFIX);
            return this;
        }

        /** Replaces the bulkhead settings. */
        public Builder withBulkhead(ConcurrencyConfig bulkhead) {
            values.setAll(bulkhead.values(), ConcurrencyConfig.PREFIX);
            return this;
        }

        /** Replaces the rate-limit settings. */
        public Builder withRateLimit(RateLimitConfig rateLimit) {
            values.setAll(rateLimit.values(), RateLimitConfig.PREFIX);
            return this;
        }

        /** Replaces the JDBC-layer guards. */
        public Builder withJdbc(JdbcConfig jdbc) {
            values.setAll(jdbc.values(), JdbcConfig.PREFIX);
            return this;
        }

        /** Replaces the SQLite settings. */
        public Builder withSqlite(SqliteConfig sqlite) {
            values.setAll(sqlite.values(), SqliteConfig.PREFIX);
            return this;
        }

        /** @throws IllegalArgumentException naming the property and value if the value is invalid */
        public <T> Builder with(BulwarkProperty<T> property, T value) {
            values.set(property, value);
            return this;
        }

        /** @throws IllegalArgumentException naming the key and value if unknown, malformed or invalid */
        public Builder withText(String key, String value) {
            BulwarkProperty<?> property = BulwarkProperty.forKey(key)
                    .orElseThrow(() -> ConfigLoader.unknownKey(key, "builder"));
            values.setText(property, value);
            return this;
        }

        /** @throws IllegalArgumentException if settings contradict each other (named in the message) */
        public BulwarkConfig build() {
            return new BulwarkConfig(values);
        }
    }
}
