package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.FaultProxy.CutReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts client connections on the proxy's loopback port, refuses or drops them when told to, and
 * otherwise connects each to the target and starts its {@link ProxyConnection}.
 *
 * <p>Thread-safe: one accepting thread; the set of open connections is concurrent.
 */
public final class ProxyAcceptor {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

    private final String name;
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final int connectTimeoutMillis;
    private final FaultSwitches switches;
    private final ProxyCounters counters;
    /** Connections whose forwarding threads may still run (a cut connection may still drain). */
    private final Set<ProxyConnection> live = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    public ProxyAcceptor(String name, ServerSocket listener, InetSocketAddress target, Duration connectTimeout,
                         FaultSwitches switches, ProxyCounters counters) {
        this.name = name;
        this.listener = listener;
        this.target = target;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.switches = switches;
        this.counters = counters;
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
    }

    public void start() {
        acceptor.start();
    }

    public int openConnections() {
        return (int) live.stream().filter(ProxyConnection::isOpen).count();
    }

    /** Cuts every open connection with a TCP reset; returns how many were cut. */
    public int cutAll() {
        int cut = 0;
        for (ProxyConnection connection : List.copyOf(live)) {
            if (connection.cut(CutReason.CUT_ALL)) {
                cut++;
            }
        }
        return cut;
    }

    /** Stops accepting, closes every connection and waits up to {@code bound} for the threads to end. */
    public void close(Duration bound) throws InterruptedException {
        closing = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the listening socket failed: {}", name, e.toString());
        }
        List<ProxyConnection> connections = List.copyOf(live);
        connections.forEach(ProxyConnection::close);
        switches.signalAll();
        long deadline = System.nanoTime() + bound.toNanos();
        List<Thread> all = new ArrayList<>();
        all.add(acceptor);
        connections.forEach(connection -> all.addAll(connection.threads()));
        for (Thread thread : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, left / 1_000_000));
            }
            if (thread.isAlive()) {
                LOG.warn("{}: thread {} still running after close", name, thread.getName());
            }
        }
    }

    private void acceptLoop() {
        long number = 0;
        while (!closing) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("{}: accepting failed, the proxy stops listening: {}", name, e.toString());
                }
                return;
            }
            counters.connectionAccepted();
            number++;
            String connectionName = name + "#" + number;
            if (switches.refusing()) {
                refuse(client, connectionName, CutReason.REFUSED);
            } else if (switches.dropThisConnection()) {
                refuse(client, connectionName, CutReason.DROPPED);
            } else {
                connect(client, connectionName);
            }
        }
    }

    private void refuse(Socket client, String connectionName, CutReason reason) {
        counters.cut(reason);
        LOG.info("{}: new connection {} with a TCP reset", connectionName, reason == CutReason.REFUSED
                ? "refused" : "dropped");
        reset(client);
    }

    private void connect(Socket client, String connectionName) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, connectTimeoutMillis);
        } catch (IOException e) {
            counters.cut(CutReason.TARGET_UNREACHABLE);
            LOG.warn("{}: cannot reach the target {}: {}; client gets a TCP reset", connectionName, target,
                    e.toString());
            reset(client);
            reset(server);
            return;
        }
        ProxyConnection connection = new ProxyConnection(connectionName, client, server, switches, counters,
                live::remove);
        live.add(connection);
        connection.start();
        if (closing) {
            connection.close();
        }
    }

    private void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: resetting a socket failed: {}", name, e.toString());
        }
    }
}
