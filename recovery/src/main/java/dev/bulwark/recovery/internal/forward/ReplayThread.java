package dev.bulwark.recovery.internal.forward;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.recovery.ForwardEvent;
import dev.bulwark.recovery.ForwardListener;
import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.UnreadableWriteException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one daemon thread that replays a journal in the background: it sleeps while the backlog is empty (woken
 * by each buffered write), waits for the database to look healthy, drains, and backs off (doubling from the
 * minimum to the maximum) while the database stays unavailable. Stopping never interrupts a write in flight:
 * the thread finishes the write it is applying and exits. Thread-safe.
 */
public final class ReplayThread {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayThread.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final String name;
    private final Replayer replayer;
    private final Journal journal;
    private final BulwarkDataSource dataSource;
    private final ForwardListener listener;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private volatile boolean running;
    private boolean woken;
    private Thread thread;

    /** A stopped replay thread. */
    public ReplayThread(String name, Replayer replayer, Journal journal, BulwarkDataSource dataSource,
            ForwardListener listener, Duration minBackoff, Duration maxBackoff) {
        this.name = name;
        this.replayer = replayer;
        this.journal = journal;
        this.dataSource = dataSource;
        this.listener = listener;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Starts the thread unless it runs; idempotent. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread and waits for it (it finishes the write it is applying); idempotent. */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        running = false;
        wake();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the journal must not close under the replayer
            }
        }
        thread = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the thread runs. */
    public boolean isRunning() {
        return running;
    }

    /** Tells the thread there is work (a write was buffered). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        Duration backoff = null;
        while (running) {
            try {
                long backlog = journal.backlog().records();
                if (backlog == 0) {
                    backoff = null;
                    await(IDLE_CHECK, true);
                    continue;
                }
                if (!Replayer.worthTrying(dataSource)) {
                    backoff = next(backoff);
                    listener.onEvent(new ForwardEvent.ReplayPaused(0, null, backoff, backlog));
                    await(backoff, false);
                    continue;
                }
                Replayer.Outcome outcome = replayer.drain(() -> running);
                if (outcome.report().stoppedBy().isPresent()) {
                    backoff = next(backoff);
                    listener.onEvent(new ForwardEvent.ReplayPaused(outcome.stoppedAt(),
                            outcome.report().stoppedBy().get(), backoff, outcome.report().remaining()));
                    await(backoff, false);
                } else {
                    backoff = null;
                }
            } catch (UnreadableWriteException e) {
                LOG.error("{}: replay stopped at journal sequence {}: {}", name, e.sequence(), e.getMessage());
                backoff = maxBackoff;
                listener.onEvent(new ForwardEvent.ReplayPaused(e.sequence(), null, backoff,
                        journal.backlog().records()));
                await(backoff, false);
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    break;
                }
                backoff = next(backoff);
                LOG.error("{}: replay failed; trying again in {}", name, backoff, e);
                await(backoff, false);
            }
        }
    }

    private Duration next(Duration previous) {
        if (previous == null) {
            return minBackoff;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }

    /** Waits for the timeout, for stop(), and (when idle, not when backing off) for a buffered write. */
    private void await(Duration timeout, boolean wakeable) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!(wakeable && woken) && running && nanos > 0) {
                nanos = signal.awaitNanos(nanos);
            }
            if (wakeable) {
                woken = false;
            }
        } catch (InterruptedException e) {
            // nobody but stop() should end this thread; treat an interrupt as a request to stop
            running = false;
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
