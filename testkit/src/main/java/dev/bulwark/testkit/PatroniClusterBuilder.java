package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.PgSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings for a {@link PatroniCluster}; each {@code with*} checks its input at once and returns a new
 * builder, so one builder can be shared as a template. Immutable and thread-safe.
 *
 * <pre>{@code
 * PatroniCluster cluster = PatroniCluster.builder()
 *         .withHaProxy(true)                                   // GET /primary health checks, as in production
 *         .withDcsTiming(Duration.ofSeconds(8), Duration.ofSeconds(1), Duration.ofSeconds(3))
 *         .withSetting("max_connections", "60")
 *         .start();
 * }</pre>
 */
public final class PatroniClusterBuilder {

    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(30);

    private final boolean haProxy;
    private final Duration ttl;
    private final Duration loopWait;
    private final Duration retryTimeout;
    private final boolean failsafeMode;
    private final Map<String, String> settings;
    private final Duration commandTimeout;

    PatroniClusterBuilder() {
        this(true, Duration.ofSeconds(8), Duration.ofSeconds(1), Duration.ofSeconds(3), false, Map.of(),
                Duration.ofSeconds(60));
    }

    private PatroniClusterBuilder(boolean haProxy, Duration ttl, Duration loopWait, Duration retryTimeout,
                                  boolean failsafeMode, Map<String, String> settings, Duration commandTimeout) {
        this.haProxy = haProxy;
        this.ttl = ttl;
        this.loopWait = loopWait;
        this.retryTimeout = retryTimeout;
        this.failsafeMode = failsafeMode;
        this.settings = settings;
        this.commandTimeout = commandTimeout;
    }

    /** Whether to start an HAProxy in front of the nodes ({@link PatroniCluster#haProxyJdbcUrl()}); default true. */
    public PatroniClusterBuilder withHaProxy(boolean enabled) {
        return new PatroniClusterBuilder(enabled, ttl, loopWait, retryTimeout, failsafeMode, settings, commandTimeout);
    }

    /**
     * Patroni's {@code ttl} (how long the leader key lives without renewal: the failover time after a crash),
     * {@code loop_wait} and {@code retry_timeout}, in whole seconds. Defaults 8 s, 1 s, 3 s (Patroni's own: 30,
     * 10, 10), so that a test sees a failover within seconds.
     *
     * @throws IllegalArgumentException when one is null, not a whole number of seconds, under one second, or
     *     when {@code loopWait + 2 * retryTimeout > ttl} (Patroni's own rule: a leader must be able to retry
     *     before its key expires)
     */
    public PatroniClusterBuilder withDcsTiming(Duration newTtl, Duration newLoopWait, Duration newRetryTimeout) {
        int t = wholeSeconds("ttl", newTtl);
        int l = wholeSeconds("loopWait", newLoopWait);
        int r = wholeSeconds("retryTimeout", newRetryTimeout);
        if (l + 2 * r > t) {
            throw new IllegalArgumentException("loopWait + 2 * retryTimeout must not exceed ttl: " + l + " + 2 * " + r
                    + " > " + t);
        }
        return new PatroniClusterBuilder(haProxy, newTtl, newLoopWait, newRetryTimeout, failsafeMode, settings,
                commandTimeout);
    }

    /**
     * Patroni's {@code failsafe_mode}: when true, a leader that loses etcd keeps its role while it still
     * reaches every member; when false (default, Patroni's default), it demotes itself to read-only after
     * {@code retry_timeout}.
     */
    public PatroniClusterBuilder withFailsafeMode(boolean enabled) {
        return new PatroniClusterBuilder(haProxy, ttl, loopWait, retryTimeout, enabled, settings, commandTimeout);
    }

    /**
     * Adds a PostgreSQL parameter to Patroni's {@code bootstrap.dcs.postgresql.parameters} (every node gets it),
     * or replaces a default ({@code fsync=off}, {@code shared_buffers=32MB}, {@code max_connections=60},
     * {@code wal_log_hints=on}, {@code wal_keep_size=128MB}).
     *
     * @throws IllegalArgumentException when the name is not a setting name, names one the cluster manages
     *     ({@code port}, {@code listen_addresses}, {@code unix_socket_directories}, ...), or the value is null
     *     or spans lines
     */
    public PatroniClusterBuilder withSetting(String name, String value) {
        String normal = PgSettings.checkName(name);
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(normal, PgSettings.checkValue(normal, value));
        return new PatroniClusterBuilder(haProxy, ttl, loopWait, retryTimeout, failsafeMode,
                Collections.unmodifiableMap(copy), commandTimeout);
    }

    /**
     * How long starting the cluster, a switchover, or any awaited condition may take before it fails with a
     * {@link ClusterCommandException}; default 60 s.
     *
     * @throws IllegalArgumentException when not positive or over 30 minutes
     */
    public PatroniClusterBuilder withCommandTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("commandTimeout must be positive and at most 30 minutes: " + timeout);
        }
        return new PatroniClusterBuilder(haProxy, ttl, loopWait, retryTimeout, failsafeMode, settings, timeout);
    }

    /**
     * Starts etcd, three Patroni nodes (PostgreSQL 15, {@code synchronous_mode}) and, when enabled, HAProxy,
     * and returns once there is a leader, a synchronous standby, three running members, and HAProxy routes to
     * the leader.
     *
     * @throws ClusterCommandException when a daemon fails or the cluster is not ready within the command timeout
     * @throws org.opentest4j.TestAbortedException when Patroni, etcd, HAProxy or PostgreSQL are not installed
     *     (the test is skipped), or {@link IllegalStateException} instead with
     *     {@code -Dbulwark.test.requireDatabases=true}
     */
    public PatroniCluster start() {
        return PatroniCluster.launch(this);
    }

    boolean haProxy() {
        return haProxy;
    }

    Duration ttl() {
        return ttl;
    }

    Duration loopWait() {
        return loopWait;
    }

    Duration retryTimeout() {
        return retryTimeout;
    }

    boolean failsafeMode() {
        return failsafeMode;
    }

    Map<String, String> settings() {
        return settings;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    private static int wholeSeconds(String name, Duration value) {
        if (value == null || value.toMillis() % 1000 != 0 || value.toSeconds() < 1 || value.toSeconds() > 3600) {
            throw new IllegalArgumentException(name + " must be a whole number of seconds from 1 to 3600: " + value);
        }
        return (int) value.toSeconds();
    }

    @Override
    public String toString() {
        return "PatroniClusterBuilder[haProxy=" + haProxy + ", ttl=" + ttl + ", loopWait=" + loopWait
                + ", retryTimeout=" + retryTimeout + ", failsafeMode=" + failsafeMode + ", settings=" + settings
                + ", commandTimeout=" + commandTimeout + "]";
    }
}
