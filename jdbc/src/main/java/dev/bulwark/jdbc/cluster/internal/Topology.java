package dev.bulwark.jdbc.cluster.internal;

import dev.bulwark.jdbc.cluster.HostStatus.Role;

/**
 * The hosts and the primary's recent positions, from which each replica's freshness follows:
 *
 * <pre>
 * primary sampled at time T (clock read before its query) at position L
 *   → every commit acknowledged before T ends at or before L
 * replica sampled (any time) having replayed R, and R includes L
 *   → the replica has every commit acknowledged before T: it is fresh as of T
 * a read at time now on a replica fresh as of T misses at most the commits of (T, now]: its staleness is now − T
 * </pre>
 *
 * So the staleness bound is checked against {@code now − freshAsOf}, which counts the samples' age and the
 * replica's true lag together, and an idle primary (whose position stands still) does not make a replica look
 * stale, as a replay timestamp would. Samples are recorded under this object's lock (a few per second); routing
 * reads the hosts' volatile fields without it.
 */
final class Topology {

    final Host primary;
    final Host[] replicas;
    private final long[] times;
    private final Position[] positions;
    private int next; // ring index of the next primary sample
    private int count;

    Topology(Host primary, Host[] replicas, int history) {
        this.primary = primary;
        this.replicas = replicas;
        this.times = new long[history];
        this.positions = new Position[history];
    }

    /** The primary answered a sample begun at {@code startedAt}. */
    synchronized void primarySampled(long startedAt, Role role, Position at) {
        primary.role = role;
        primary.position = at;
        if (role != Role.PRIMARY || at == null) {
            return; // a primary that is not (a failover under way): no position says anything about replicas
        }
        times[next] = startedAt;
        positions[next] = at;
        next = (next + 1) % times.length;
        count = Math.min(count + 1, times.length);
        for (Host r : replicas) {
            Position replayed = r.position;
            if (replayed != null && replayed.includes(at) && startedAt > r.freshAsOf) {
                r.freshAsOf = startedAt;
            }
        }
    }

    /** A replica answered: it has replayed {@code replayed}. */
    synchronized void replicaSampled(Host replica, Role role, Position replayed) {
        replica.role = role;
        replica.position = replayed;
        if (replayed == null) {
            return;
        }
        // The latest primary sample whose position the replica has replayed.
        for (int i = 1; i <= count; i++) {
            int at = Math.floorMod(next - i, times.length);
            if (replayed.includes(positions[at])) {
                if (times[at] > replica.freshAsOf) {
                    replica.freshAsOf = times[at];
                }
                return;
            }
        }
    }
}
