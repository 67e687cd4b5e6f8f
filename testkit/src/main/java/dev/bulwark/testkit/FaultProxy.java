package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.FaultSwitches;
import dev.bulwark.testkit.internal.ProxyAcceptor;
import dev.bulwark.testkit.internal.ProxyCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy between a JDBC driver and a real database server that injects network faults:
 * latency, cut connections, a blackhole, refused or dropped connections, and a cut right after a
 * COMMIT reached the server, before its reply reaches the client (the ambiguous commit).
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.postgres();
 *      FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
 *     String url = db.jdbcUrlVia(proxy.host(), proxy.port()) + "&sslmode=disable";
 *     proxy.cutOnCommit(1);       // the next COMMIT through the proxy is cut
 *     ...                         // conn.commit() fails with SQLState 08006, yet the row is committed
 *     assertThat(proxy.stats().commitsCut()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>COMMITs are recognised in the PostgreSQL frontend protocol (simple and extended, including named
 * statements) and in the MySQL/MariaDB protocol ({@code COM_QUERY}); the protocol is chosen per
 * connection by who speaks first. Encrypted or compressed connections cannot be read: use
 * {@code sslmode=disable} (pgjdbc) and {@code sslMode=disable} (MariaDB Connector/J, its default).
 * Every injected fault is logged at INFO under this class's logger, never with payload bytes.
 *
 * <p>Thread-safe: every fault can be switched on and off at any time from any thread while
 * connections are open; switches apply to data forwarded after the call. Forwarding uses two daemon
 * threads per connection with blocking I/O, fine for tests, not meant for production traffic.
 */
public final class FaultProxy implements AutoCloseable {

    /** A direction of traffic through the proxy. */
    public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

    /** Why the proxy broke a connection. */
    public enum CutReason {
        /** {@link #cutAllConnections()}. */
        CUT_ALL,
        /** A COMMIT cut ({@link #cutOnCommit(int)}, {@link #cutCommits(double)}). */
        COMMIT,
        /** A new connection reset because of {@link #refuseNewConnections(boolean)}. */
        REFUSED,
        /** A new connection reset because of {@link #dropNewConnections(double)}. */
        DROPPED,
        /** A new connection reset because the target could not be reached (not an injected fault). */
        TARGET_UNREACHABLE
    }

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final String name;
    private final ServerSocket listener;
    private final long seed;
    private final FaultSwitches switches;
    private final ProxyCounters counters = new ProxyCounters();
    private final ProxyAcceptor acceptor;

    private FaultProxy(Builder builder) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.seed = builder.seed;
        this.name = "FaultProxy[" + host() + ":" + port() + "->" + builder.targetHost + ":" + builder.targetPort + "]";
        this.switches = new FaultSwitches(seed);
        this.acceptor = new ProxyAcceptor(name, listener,
                new InetSocketAddress(builder.targetHost, builder.targetPort), builder.connectTimeout, switches,
                counters);
        acceptor.start();
        LOG.info("{}: listening (seed {})", name, seed);
    }

    /**
     * Starts a proxy with a random seed (logged) on an ephemeral loopback port in front of
     * {@code targetHost:targetPort}.
     *
     * @throws IllegalArgumentException when the host is blank or the port is not 1..65535
     * @throws IOException when no loopback port can be opened
     */
    public static FaultProxy start(String targetHost, int targetPort) throws IOException {
        return builder(targetHost, targetPort).start();
    }

    /**
     * A builder for a proxy in front of {@code targetHost:targetPort}.
     *
     * @throws IllegalArgumentException when the host is blank or the port is not 1..65535
     */
    public static Builder builder(String targetHost, int targetPort) {
        return new Builder(targetHost, targetPort);
    }

    /** The loopback address clients connect to, as a literal ({@code 127.0.0.1}). */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** The ephemeral port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The seed of every random choice this proxy makes (jitter, dropped connections, cut COMMITs). */
    public long seed() {
        return seed;
    }

    /**
     * Delays each chunk of data in {@code direction} by {@code fixed} plus a uniformly random part of
     * {@code jitter}; a request-reply round trip is slowed by both directions' delays.
     *
     * @throws IllegalArgumentException when a duration is negative or longer than an hour
     */
    public void setLatency(Direction direction, Duration fixed, Duration jitter) {
        Objects.requireNonNull(direction, "direction");
        switches.setLatency(direction, checkDelay("fixed", fixed), checkDelay("jitter", jitter));
        LOG.info("{}: latency {} is now {} + up to {} jitter", name, direction, fixed, jitter);
    }

    /** Removes the latency in both directions. */
    public void clearLatency() {
        switches.setLatency(Direction.CLIENT_TO_SERVER, Duration.ZERO, Duration.ZERO);
        switches.setLatency(Direction.SERVER_TO_CLIENT, Duration.ZERO, Duration.ZERO);
        LOG.info("{}: latency removed", name);
    }

    /**
     * Cuts every open connection now: both the client and the server side get a TCP reset.
     *
     * @return how many connections were cut
     */
    public int cutAllConnections() {
        int cut = acceptor.cutAll();
        LOG.info("{}: cut all {} open connection(s)", name, cut);
        return cut;
    }

    /**
     * Switches the blackhole on or off. While on, connections (open and new) stay up but nothing is
     * forwarded in either direction, like a hung network or server; calls hang until the driver's
     * timeout. Switched off, held data flows again, as TCP retransmission would deliver it.
     */
    public void blackhole(boolean on) {
        switches.setBlackholed(on);
        LOG.info("{}: blackhole {}", name, on ? "on: nothing is forwarded" : "off");
    }

    /** While on, each new connection is accepted and at once reset; open connections continue. */
    public void refuseNewConnections(boolean on) {
        switches.setRefusing(on);
        LOG.info("{}: {} new connections", name, on ? "refusing" : "accepting");
    }

    /**
     * Resets each new connection with probability {@code fraction} (seeded); open connections continue.
     *
     * @throws IllegalArgumentException when {@code fraction} is not within 0..1
     */
    public void dropNewConnections(double fraction) {
        switches.setDropFraction(checkFraction(fraction));
        LOG.info("{}: dropping {} of new connections", name, fraction);
    }

    /**
     * Cuts the connection carrying the {@code nth} COMMIT seen from now on (1 = the next one), once:
     * the COMMIT reaches the server in full, followed by an orderly end of stream, so the server
     * commits; the client gets a TCP reset and no byte of the reply.
     *
     * @throws IllegalArgumentException when {@code nth} is less than 1
     */
    public void cutOnCommit(int nth) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth must be at least 1 (1 = the next COMMIT), was " + nth);
        }
        switches.cutOnCommit(nth);
        LOG.info("{}: will cut COMMIT number {} from now", name, nth);
    }

    /**
     * Cuts each COMMIT with probability {@code fraction} (seeded), as {@link #cutOnCommit(int)} does,
     * until {@link #stopCuttingCommits()}.
     *
     * @throws IllegalArgumentException when {@code fraction} is not within 0..1
     */
    public void cutCommits(double fraction) {
        switches.cutCommits(checkFraction(fraction));
        LOG.info("{}: will cut {} of COMMITs", name, fraction);
    }

    /** Disarms {@link #cutOnCommit(int)} and {@link #cutCommits(double)}. */
    public void stopCuttingCommits() {
        switches.stopCuttingCommits();
        LOG.info("{}: no longer cutting COMMITs", name);
    }

    /** Switches every fault off: no latency, no blackhole, no refused, dropped or cut connections. */
    public void clearFaults() {
        switches.clear();
        LOG.info("{}: all faults cleared", name);
    }

    /** What the proxy has done so far. */
    public FaultProxyStats stats() {
        return counters.snapshot(acceptor.openConnections());
    }

    /** Stops listening, closes every connection and waits (bounded) for the proxy's threads to end. */
    @Override
    public void close() {
        try {
            acceptor.close(CLOSE_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{}: closed", name);
    }

    @Override
    public String toString() {
        return name;
    }

    private static Duration checkDelay(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(what + " latency must be within 0..1h, was " + value);
        }
        return value;
    }

    private static double checkFraction(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be within 0..1, was " + fraction);
        }
        return fraction;
    }

    /**
     * Configures a {@link FaultProxy} before it starts. Not thread-safe; each {@code with*} checks its
     * input at once.
     */
    public static final class Builder {
        private final String targetHost;
        private final int targetPort;
        private long seed = ThreadLocalRandom.current().nextLong();
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(String targetHost, int targetPort) {
            Objects.requireNonNull(targetHost, "targetHost");
            if (targetHost.isBlank()) {
                throw new IllegalArgumentException("targetHost must not be blank");
            }
            if (targetPort < 1 || targetPort > 65_535) {
                throw new IllegalArgumentException("targetPort must be within 1..65535, was " + targetPort);
            }
            this.targetHost = targetHost;
            this.targetPort = targetPort;
        }

        /** Seeds every random choice (jitter, dropped connections, cut COMMITs) for a repeatable run. */
        public Builder withSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * How long the proxy waits to connect to the target for each new client connection.
         *
         * @throws IllegalArgumentException when not within 1 ms..1 min
         */
        public Builder withConnectTimeout(Duration value) {
            Objects.requireNonNull(value, "connectTimeout");
            if (value.toMillis() < 1 || value.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("connectTimeout must be within 1ms..1min, was " + value);
            }
            this.connectTimeout = value;
            return this;
        }

        /**
         * Opens the loopback port and starts accepting.
         *
         * @throws IOException when no loopback port can be opened
         */
        public FaultProxy start() throws IOException {
            return new FaultProxy(this);
        }
    }
}
