package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.FaultProxy.CutReason;
import dev.bulwark.testkit.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through the proxy and its server connection, forwarded by two blocking
 * threads, one per direction.
 *
 * <p>The client-to-server thread follows the protocol (chosen by who speaks first: the MySQL/MariaDB
 * server greets, a PostgreSQL client starts) to find COMMITs. Thread-safe: the state shared by the
 * two threads and the proxy is volatile or atomic, and closing is idempotent.
 */
public final class ProxyConnection {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final int BUFFER = 16 * 1024;
    /** After a COMMIT cut, how long the server may take to process it and close its end. */
    private static final int DRAIN_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final Socket client;
    private final Socket server;
    private final FaultSwitches switches;
    private final ProxyCounters counters;
    private final Consumer<ProxyConnection> onFinished;
    private final AtomicInteger running = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean oneDirectionEnded = new AtomicBoolean();
    private volatile boolean serverSpoke;
    private volatile boolean discardReplies;
    private volatile long commitNumber;
    private final Thread toServer;
    private final Thread toClient;

    public ProxyConnection(String name, Socket client, Socket server, FaultSwitches switches, ProxyCounters counters,
                           Consumer<ProxyConnection> onFinished) {
        this.name = name;
        this.client = client;
        this.server = server;
        this.switches = switches;
        this.counters = counters;
        this.onFinished = onFinished;
        this.toServer = new Thread(() -> finishing(this::forwardToServer), name + "-to-server");
        this.toClient = new Thread(() -> finishing(this::forwardToClient), name + "-to-client");
        toServer.setDaemon(true);
        toClient.setDaemon(true);
    }

    public void start() {
        toServer.start();
        toClient.start();
    }

    public List<Thread> threads() {
        return List.of(toServer, toClient);
    }

    /** Whether the connection still forwards (it was neither cut nor closed). */
    public boolean isOpen() {
        return !closed.get();
    }

    /** Whether a forwarder waiting to pass data in {@code direction} should stop waiting. */
    boolean passageEnded(Direction direction) {
        return closed.get() || (direction == Direction.SERVER_TO_CLIENT && discardReplies);
    }

    /**
     * Breaks both sides with a TCP reset, as a failed network would.
     *
     * @return whether this call cut it (not when it was closed already)
     */
    public boolean cut(CutReason reason) {
        if (!closeOnce()) {
            return false;
        }
        counters.cut(reason);
        LOG.info("{}: cut connection ({}), client and server get a TCP reset", name, reason);
        reset(client);
        reset(server);
        return true;
    }

    /** Closes both sides, even one still draining after a COMMIT cut, without counting a fault. */
    public void close() {
        closeOnce();
        quietly(client);
        quietly(server);
    }

    private void finishing(Runnable forwarder) {
        try {
            forwarder.run();
        } finally {
            if (running.decrementAndGet() == 0) {
                onFinished.accept(this);
            }
        }
    }

    private void forwardToServer() {
        byte[] buffer = new byte[BUFFER];
        WireParser parser = null;
        try {
            InputStream in = client.getInputStream();
            OutputStream out = server.getOutputStream();
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    endOfStream(server);
                    return;
                }
                if (parser == null) {
                    parser = serverSpoke ? new MariaDbClientParser() : new PostgresFrontendParser();
                }
                int cutAt = followProtocol(parser, buffer, read);
                int forward = cutAt < 0 ? read : cutAt;
                switches.awaitPassage(Direction.CLIENT_TO_SERVER, this);
                if (closed.get()) {
                    return;
                }
                counters.toServer(forward); // counted first: a peer never holds bytes the counters have not seen
                out.write(buffer, 0, forward);
                out.flush();
                if (cutAt >= 0) {
                    cutAfterCommit();
                    return;
                }
            }
        } catch (IOException e) {
            ended(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    private int followProtocol(WireParser parser, byte[] buffer, int read) {
        if (parser.opaque()) {
            return -1;
        }
        int cutAt = parser.feed(buffer, 0, read, this::commitSeen);
        if (parser.opaque()) {
            LOG.info("{}: not following the protocol any more because of {}; COMMITs on this connection "
                    + "cannot be seen or cut", name, parser.opaqueReason());
        }
        return cutAt;
    }

    private boolean commitSeen() {
        long number = counters.commitSeen();
        boolean cut = switches.cutThisCommit();
        if (cut) {
            commitNumber = number;
            discardReplies = true; // before the COMMIT is written: no byte of its reply may pass
            switches.signalAll();
        }
        return cut;
    }

    private void cutAfterCommit() {
        if (!closeOnce()) {
            return;
        }
        counters.commitCut();
        counters.cut(CutReason.COMMIT);
        LOG.info("{}: cut connection after COMMIT #{} reached the server, before its reply; the client gets a "
                + "TCP reset, the server an orderly end of stream", name, commitNumber);
        reset(client);
        try {
            // An orderly end of stream after the COMMIT: the server reads all of it and commits. The
            // forwarder to the client drains and discards the reply until the server hangs up.
            server.setSoTimeout(DRAIN_TIMEOUT_MILLIS);
            server.shutdownOutput();
        } catch (IOException e) {
            LOG.debug("{}: server side already gone at the COMMIT cut: {}", name, e.toString());
            quietly(server);
        }
    }

    private void forwardToClient() {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = server.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    endOfStream(client);
                    return;
                }
                serverSpoke = true;
                switches.awaitPassage(Direction.SERVER_TO_CLIENT, this);
                if (discardReplies) {
                    continue; // the reply to a cut COMMIT: read so the server can finish, never forwarded
                }
                if (closed.get()) {
                    return;
                }
                counters.toClient(read); // counted first: a peer never holds bytes the counters have not seen
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (SocketTimeoutException e) {
            LOG.warn("{}: server did not hang up within {} ms after the COMMIT cut", name, DRAIN_TIMEOUT_MILLIS);
            quietly(server);
        } catch (IOException e) {
            ended(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } finally {
            if (discardReplies) {
                quietly(server);
            }
        }
    }

    /** One side finished sending: pass the end on, and close once both sides have finished. */
    private void endOfStream(Socket peer) throws IOException {
        if (oneDirectionEnded.getAndSet(true) || closed.get()) {
            close();
            return;
        }
        peer.shutdownOutput();
    }

    private void ended(IOException e) {
        if (!closed.get()) {
            LOG.debug("{}: connection ended: {}", name, e.toString());
            close();
        }
    }

    private boolean closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        switches.signalAll();
        return true;
    }

    private void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            LOG.debug("{}: socket already closed, no reset sent: {}", name, e.toString());
        }
        quietly(socket);
    }

    private void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: closing a socket failed: {}", name, e.toString());
        }
    }
}
