package dev.bulwark.jdbc.cluster.internal;

import dev.bulwark.jdbc.cluster.HostStatus;
import dev.bulwark.jdbc.cluster.HostStatus.Role;
import dev.bulwark.jdbc.internal.ResilientDataSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * One host of a cluster: its own Bulwark data source, and what its monitor last found. Fields are written by the
 * monitor (and by units that meet a fault) and read by routing without locks; {@link Topology} orders the writes
 * that must agree with the primary's history.
 */
final class Host {

    final String name;
    final ResilientDataSource dataSource;
    final boolean primary; // as declared by the user
    final LongAdder routed = new LongAdder();
    final LongAdder fallbacks = new LongAdder();

    volatile Role role = Role.UNKNOWN;
    /** Whether the last sample succeeded, and began after the last fault a unit met here. */
    volatile boolean available;
    /** System.nanoTime() of the last fault a unit met here; 0: none. */
    volatile long outSince;
    /** Replica: the last replayed position known; primary: its position at its last sample. */
    volatile Position position;
    /**
     * Replica: System.nanoTime() at which the primary was last seen at a position this replica has replayed, so
     * every commit acknowledged before it is here; Long.MIN_VALUE: never.
     */
    volatile long freshAsOf = Long.MIN_VALUE;
    volatile String problem;
    /** Detected from the first sample's connection; null until then. */
    volatile Dialect dialect;

    Host(String name, ResilientDataSource dataSource, boolean primary) {
        this.name = name;
        this.dataSource = dataSource;
        this.primary = primary;
    }

    /** Whether a read may run here now: a reachable replica no staler than {@code maxLagNanos}. */
    boolean qualifies(long now, long maxLagNanos) {
        return available && role == Role.REPLICA && now - freshAsOf <= maxLagNanos;
    }

    /** A unit met a host fault here: no reads until a sample that began after now succeeds. */
    void takeOut(String why) {
        outSince = System.nanoTime();
        available = false;
        problem = why;
    }

    /** A replay position seen by a unit (a replay wait); positions only grow. */
    synchronized void advance(Position replayed) {
        Position p = position;
        if (p == null || !p.includes(replayed)) {
            position = p == null ? replayed : Position.union(p, replayed);
        }
    }

    HostStatus status(long now, long maxLagNanos) {
        Optional<Duration> lag = Optional.empty();
        if (!primary && freshAsOf != Long.MIN_VALUE) {
            lag = Optional.of(Duration.ofNanos(Math.max(0, now - freshAsOf)));
        }
        String why = problem;
        if (why == null && !primary && available && role == Role.REPLICA && !qualifies(now, maxLagNanos)) {
            why = lag.map(l -> "lag " + l.toMillis() + " ms is over the bound").orElse("lag unknown");
        }
        if (why == null && !primary && available && role != Role.REPLICA) {
            why = "reports role " + role;
        }
        return new HostStatus(name, role, available, lag, routed.sum(), fallbacks.sum(), Optional.ofNullable(why));
    }
}
