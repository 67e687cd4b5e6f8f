package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.PgSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings for a {@link PostgresCluster}; each {@code with*} returns a new builder, so one builder can be
 * shared as a template. Immutable and thread-safe.
 *
 * <pre>{@code
 * PostgresCluster db = PostgresCluster.builder()
 *         .withPassword("s3cret")                 // scram-sha-256 over TCP; trust without one
 *         .withSetting("max_connections", "20")   // any postgresql.conf setting, e.g. fsync=on
 *         .withSynchronousStandby(true)           // createStandby() then replicates synchronously
 *         .start();
 * }</pre>
 */
public final class PostgresClusterBuilder {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(30);

    private final String password;
    private final Map<String, String> settings;
    private final boolean synchronousStandby;
    private final Duration commandTimeout;

    PostgresClusterBuilder() {
        this(null, Map.of(), false, DEFAULT_TIMEOUT);
    }

    private PostgresClusterBuilder(String password, Map<String, String> settings, boolean synchronousStandby,
                                   Duration commandTimeout) {
        this.password = password;
        this.settings = settings;
        this.synchronousStandby = synchronousStandby;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Requires this password for {@code postgres} over TCP (scram-sha-256); without one, TCP connections
     * from 127.0.0.1 are trusted.
     *
     * @throws IllegalArgumentException when the password is null, empty or spans lines
     */
    public PostgresClusterBuilder withPassword(String newPassword) {
        if (newPassword == null || newPassword.isEmpty()) {
            throw new IllegalArgumentException("password must not be null or empty");
        }
        if (newPassword.indexOf('\n') >= 0 || newPassword.indexOf('\r') >= 0 || newPassword.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("password must not contain a line break or NUL");
        }
        return new PostgresClusterBuilder(newPassword, settings, synchronousStandby, commandTimeout);
    }

    /**
     * Adds a {@code postgresql.conf} setting, or replaces a default such as {@code fsync=off} or
     * {@code shared_buffers=32MB}. Standbys get the same settings.
     *
     * @throws IllegalArgumentException when the name is not a setting name, names one the cluster manages
     *     itself ({@code port}, {@code listen_addresses}, {@code unix_socket_directories},
     *     {@code synchronous_standby_names}, {@code primary_conninfo}, ...), or the value is null or spans lines
     */
    public PostgresClusterBuilder withSetting(String name, String value) {
        String normal = PgSettings.checkName(name);
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(normal, PgSettings.checkValue(normal, value));
        return new PostgresClusterBuilder(password, Collections.unmodifiableMap(copy), synchronousStandby,
                commandTimeout);
    }

    /**
     * Whether {@link PostgresCluster#createStandby()} (and {@link PostgresCluster#rewindAsStandbyOf}) make the
     * new standby synchronous, with {@code synchronous_commit=remote_apply}: once COMMIT returns on the
     * primary, the row is visible on the standby. Default false (asynchronous streaming).
     */
    public PostgresClusterBuilder withSynchronousStandby(boolean synchronous) {
        return new PostgresClusterBuilder(password, settings, synchronous, commandTimeout);
    }

    /**
     * How long any one server command ({@code initdb}, {@code pg_ctl}, ...) or awaited condition may take
     * before it fails; default 60 s.
     *
     * @throws IllegalArgumentException when not positive or over 30 minutes
     */
    public PostgresClusterBuilder withCommandTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("commandTimeout must be positive and at most 30 minutes: " + timeout);
        }
        return new PostgresClusterBuilder(password, settings, synchronousStandby, timeout);
    }

    /**
     * Creates and starts the cluster: {@code initdb} in a fresh temporary directory, then
     * {@code pg_ctl start -w} on a free port on 127.0.0.1.
     *
     * @throws ClusterCommandException when a server command fails or times out
     * @throws org.opentest4j.TestAbortedException when the server binaries are missing (the test is skipped),
     *     or {@link IllegalStateException} instead when {@code -Dbulwark.test.requireDatabases=true}
     */
    public PostgresCluster start() {
        return PostgresCluster.launch(this);
    }

    String password() {
        return password;
    }

    Map<String, String> settings() {
        return settings;
    }

    boolean synchronousStandby() {
        return synchronousStandby;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public String toString() {
        return "PostgresClusterBuilder[password=" + (password == null ? "none" : "***") + ", settings=" + settings
                + ", synchronousStandby=" + synchronousStandby + ", commandTimeout=" + commandTimeout + "]";
    }
}
