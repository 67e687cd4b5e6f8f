package dev.bulwark.testkit;

import java.time.Duration;

/**
 * Settings for a {@link GaleraCluster}; each {@code with*} returns a new builder. Immutable and thread-safe.
 *
 * <pre>{@code
 * try (GaleraCluster galera = GaleraCluster.builder().withNodes(3).start()) { ... }
 * }</pre>
 */
public final class GaleraClusterBuilder {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private final int nodes;
    private final Duration commandTimeout;

    GaleraClusterBuilder() {
        this(3, DEFAULT_TIMEOUT);
    }

    private GaleraClusterBuilder(int nodes, Duration commandTimeout) {
        this.nodes = nodes;
        this.commandTimeout = commandTimeout;
    }

    /**
     * How many {@code mariadbd} nodes (default 3; quorum needs more than half of them).
     *
     * @throws IllegalArgumentException when not between 1 and 7
     */
    public GaleraClusterBuilder withNodes(int count) {
        if (count < 1 || count > 7) {
            throw new IllegalArgumentException("nodes must be between 1 and 7: " + count);
        }
        return new GaleraClusterBuilder(count, commandTimeout);
    }

    /**
     * How long one command, or one wait for a node to be synced, may take before it fails; default 3 minutes (a state transfer on a loaded 2-core machine takes over a minute).
     *
     * @throws IllegalArgumentException when null, not positive or over 30 minutes
     */
    public GaleraClusterBuilder withCommandTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("commandTimeout must be positive and at most 30 minutes: " + timeout);
        }
        return new GaleraClusterBuilder(nodes, timeout);
    }

    /**
     * Creates and starts the cluster: system tables on the first node, which bootstraps the cluster
     * ({@code --wsrep-new-cluster}), then the others, which join by rsync state transfer; returns once every
     * node is synced.
     *
     * @throws ClusterCommandException when a command fails or a node does not sync in time
     * @throws org.opentest4j.TestAbortedException when MariaDB, Galera or rsync are not installed (the test is
     *     skipped), or {@link IllegalStateException} instead with {@code -Dbulwark.test.requireDatabases=true}
     */
    public GaleraCluster start() {
        return GaleraCluster.launch(this);
    }

    int nodes() {
        return nodes;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public String toString() {
        return "GaleraClusterBuilder[nodes=" + nodes + ", commandTimeout=" + commandTimeout + "]";
    }
}
