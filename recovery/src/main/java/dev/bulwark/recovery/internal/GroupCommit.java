package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalException;
import java.io.IOException;

/**
 * Group commit: appenders wait until their record is durable; the first waiter becomes the leader and forces
 * the file once for everyone who wrote before it, the others wait for that force (or lead the next one).
 *
 * <p>Thread-safe. Once a force has failed, the journal's state on disk is unknown (the kernel may have dropped
 * the dirty pages), so every later wait fails too.
 */
final class GroupCommit {

    /** Forces what has been written and returns the highest sequence number that is now durable. */
    @FunctionalInterface
    interface Force {
        long force() throws IOException;
    }

    private final Object monitor = new Object();
    private volatile long durable;
    private boolean forcing;
    private IOException failure;
    private long forces;

    GroupCommit(long durable) {
        this.durable = durable;
    }

    long durable() {
        return durable;
    }

    long forces() {
        synchronized (monitor) {
            return forces;
        }
    }

    /** Records that everything up to {@code sequence} is durable without a force (e.g. forced by a roll-over). */
    void markDurable(long sequence) {
        synchronized (monitor) {
            if (sequence > durable) {
                durable = sequence;
                monitor.notifyAll();
            }
        }
    }

    /** Fails the journal: this and every later {@link #await} throws. */
    void fail(IOException cause) {
        synchronized (monitor) {
            if (failure == null) {
                failure = cause;
            }
            monitor.notifyAll();
        }
    }

    /** Throws if a force has failed. */
    void checkHealthy() throws JournalException {
        synchronized (monitor) {
            throwIfFailed();
        }
    }

    /** Returns once {@code sequence} is durable, forcing as the leader when no force is under way. */
    void await(long sequence, Force force) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (awaitTurn(sequence)) {
                        return;
                    }
                    lead(force);
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: an append must not end without a clear answer
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until {@code sequence} is durable (true) or it is this thread's turn to force (false). */
    private boolean awaitTurn(long sequence) throws InterruptedException, JournalException {
        synchronized (monitor) {
            while (true) {
                throwIfFailed();
                if (durable >= sequence) {
                    return true;
                }
                if (!forcing) {
                    forcing = true;
                    return false;
                }
                monitor.wait();
            }
        }
    }

    private void lead(Force force) throws IOException {
        long reached = -1;
        IOException error = null;
        try {
            reached = force.force();
        } catch (IOException e) {
            error = e;
        }
        synchronized (monitor) {
            forcing = false;
            forces++;
            if (error != null && failure == null) {
                failure = error;
            }
            if (reached > durable) {
                durable = reached;
            }
            monitor.notifyAll();
        }
    }

    private void throwIfFailed() throws JournalException {
        if (failure != null) {
            throw new JournalException("journal failed: an earlier fsync failed (" + failure.getMessage()
                    + "); acknowledged records are safe, reopen the journal to continue", failure);
        }
    }
}
