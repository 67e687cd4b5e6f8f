package dev.bulwark.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether the database still answers once calls to it time out, with its own short timeout
 * instead of the driver's and pool's (pgjdbc and HikariCP defaults wait 10 to 30 s to connect, 5 s to validate).
 * Started by {@link #suspect}; while a probe gets no answer within {@link #TIMEOUT} the host is
 * {@linkplain #silent() silent}, and new connections are refused at once instead of each waiting the pool's
 * and driver's timeouts; the first answer ends that.
 *
 * <pre>
 * suspect → probe thread (one per data source): every {@link #INTERVAL} while nothing answered,
 *   start a connect past the pool + isValid (at most {@link #MAX_PENDING} outstanding: a connect to a frozen
 *   server hangs until the driver gives up), then wait up to {@link #TIMEOUT} for any of them
 *   no answer → silent;  an answer (a valid connection, or an error: the server or its host refused) → not
 *   silent, the thread ends
 * </pre>
 *
 * <p>An error is an answer: a server that refuses connections is down, not hung, and connecting to it fails
 * fast on its own. Thread-safe.
 */
final class HostProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostProbe.class);

    /** How long the probe waits for an answer before the host counts as silent. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Pause between probes while the host is silent. */
    static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int MAX_PENDING = 3;

    private static final ExecutorService CONNECTS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
            TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                Thread t = new Thread(runnable, "bulwark-probe-connect");
                t.setDaemon(true);
                return t;
            });

    private final ResilientDataSource owner;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong answers = new AtomicLong(); // counts answers, so a round can tell whether one came in
    private volatile long silentSince; // System.nanoTime() when it went silent; 0: answering or not known
    private volatile boolean closed;

    HostProbe(ResilientDataSource owner) {
        this.owner = owner;
    }

    /** Whether the last probe got no answer within {@link #TIMEOUT}; one volatile read. */
    boolean silent() {
        return silentSince != 0;
    }

    /** For how long the host has been silent, in milliseconds (0 when it is not). */
    long silentMillis() {
        long since = silentSince;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    /** Calls to the host timed out: probe it, unless a probe is under way. */
    void suspect() {
        if (closed || !running.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::run, "bulwark-probe-" + owner.name());
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        try {
            while (!closed) {
                long seen = answers.get();
                if (pending.get() < MAX_PENDING) {
                    pending.incrementAndGet();
                    try {
                        CONNECTS.execute(this::connect);
                    } catch (RuntimeException e) {
                        pending.decrementAndGet();
                    }
                }
                long ends = System.nanoTime() + TIMEOUT.toNanos();
                while (answers.get() == seen && System.nanoTime() - ends < 0 && !closed) {
                    LockSupport.parkNanos(10_000_000L);
                }
                if (closed) {
                    return;
                }
                if (answers.get() != seen) {
                    long since = silentSince;
                    silentSince = 0;
                    if (since != 0) {
                        LOG.warn("{}: the database answers again after {} ms", owner.name(),
                                (System.nanoTime() - since) / 1_000_000);
                    }
                    return;
                }
                if (silentSince == 0) {
                    silentSince = System.nanoTime();
                    LOG.warn("{}: the database did not answer a probe within {} ms; new connections are refused "
                            + "until it does", owner.name(), TIMEOUT.toMillis());
                    owner.onHostSilent();
                }
                LockSupport.parkNanos(INTERVAL.toNanos());
            }
        } finally {
            running.set(false);
        }
    }

    /**
     * One probe: a valid connection is an answer, however late (a connect begun while the server was frozen
     * completes when it resumes); an error is one only when it came within {@link #TIMEOUT} (a refusal), not
     * when it is the driver's own timeout giving up.
     */
    private void connect() {
        long start = System.nanoTime();
        boolean answered;
        try (Connection c = owner.openForProbe(TIMEOUT.toMillis())) {
            answered = c.isValid((int) Math.max(1, TIMEOUT.toSeconds()))
                    || System.nanoTime() - start < TIMEOUT.toNanos();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{}: probe: {}", owner.name(), e.toString());
            answered = System.nanoTime() - start < TIMEOUT.toNanos();
        } finally {
            pending.decrementAndGet();
        }
        if (answered) {
            answers.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        silentSince = 0;
    }
}
