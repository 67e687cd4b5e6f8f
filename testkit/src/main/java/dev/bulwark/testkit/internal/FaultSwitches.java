package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultProxy.Direction;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The faults a proxy currently injects, switchable at any time, and the waiting they impose on the
 * connections' forwarding threads.
 *
 * <p>Thread-safe: switches are volatile; waiting threads are woken through one condition whenever a
 * switch changes or a connection closes. Each kind of randomness has its own generator seeded from
 * the proxy's seed, so that, say, latency draws do not shift which COMMIT is cut.
 */
public final class FaultSwitches {

    /** A delay of {@code fixed} plus a uniform random share of {@code jitter}. */
    private record Latency(long fixedNanos, long jitterNanos) {
        static final Latency NONE = new Latency(0, 0);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Random latencyRandom;
    private final Random dropRandom;
    private final Random commitRandom;
    private volatile Latency toServer = Latency.NONE;
    private volatile Latency toClient = Latency.NONE;
    private volatile boolean blackholed;
    private volatile boolean refusing;
    private volatile double dropFraction;
    private volatile CommitCutRule commitRule = CommitCutRule.NONE;

    public FaultSwitches(long seed) {
        this.latencyRandom = new Random(seed);
        this.dropRandom = new Random(seed * 31 + 1);
        this.commitRandom = new Random(seed * 31 + 2);
    }

    public void setLatency(Direction direction, Duration fixed, Duration jitter) {
        Latency latency = new Latency(fixed.toNanos(), jitter.toNanos());
        if (direction == Direction.CLIENT_TO_SERVER) {
            toServer = latency;
        } else {
            toClient = latency;
        }
        signalAll();
    }

    public void setBlackholed(boolean on) {
        blackholed = on;
        signalAll();
    }

    public boolean blackholed() {
        return blackholed;
    }

    public void setRefusing(boolean on) {
        refusing = on;
    }

    public boolean refusing() {
        return refusing;
    }

    public void setDropFraction(double fraction) {
        dropFraction = fraction;
    }

    /** Draws whether the connection just accepted is to be dropped. */
    public boolean dropThisConnection() {
        double fraction = dropFraction;
        return fraction > 0 && dropRandom.nextDouble() < fraction;
    }

    public void cutOnCommit(int nth) {
        commitRule = CommitCutRule.nth(nth);
    }

    public void cutCommits(double fraction) {
        commitRule = CommitCutRule.fraction(fraction, commitRandom);
    }

    public void stopCuttingCommits() {
        commitRule = CommitCutRule.NONE;
    }

    /** Asks the current rule whether the COMMIT just seen is to be cut. */
    public boolean cutThisCommit() {
        return commitRule.cutThisOne();
    }

    /** Switches every fault off. */
    public void clear() {
        toServer = Latency.NONE;
        toClient = Latency.NONE;
        refusing = false;
        dropFraction = 0;
        commitRule = CommitCutRule.NONE;
        setBlackholed(false);
    }

    /** Wakes every waiting forwarder to look at the switches and its connection again. */
    public void signalAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks a forwarder that holds a chunk: while the proxy is blackholed, then for the direction's
     * latency; returns early once {@code connection} is closed or its replies are being discarded.
     */
    public void awaitPassage(Direction direction, ProxyConnection connection) throws InterruptedException {
        Latency latency = direction == Direction.CLIENT_TO_SERVER ? toServer : toClient;
        if (!blackholed && latency.fixedNanos() == 0 && latency.jitterNanos() == 0) {
            return;
        }
        long delay = latency.fixedNanos();
        if (latency.jitterNanos() > 0) {
            delay += (long) (latencyRandom.nextDouble() * latency.jitterNanos());
        }
        long deadline = System.nanoTime() + delay;
        lock.lock();
        try {
            while (blackholed && !connection.passageEnded(direction)) {
                changed.await();
            }
            long left = deadline - System.nanoTime();
            while (left > 0 && !connection.passageEnded(direction)) {
                changed.awaitNanos(left);
                left = deadline - System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }
}
