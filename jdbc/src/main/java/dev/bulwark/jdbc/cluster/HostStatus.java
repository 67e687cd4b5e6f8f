package dev.bulwark.jdbc.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One host of a cluster as the router sees it now: what the lag monitor last found and what was routed to it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name        the host's data source name ({@code bulwark.name} for the primary, {@code <name>-replica-<n>}
 *                    for the n-th replica): the {@code source} of its events and meters
 * @param role        the role the host reported in its last sample
 * @param available   whether its last sample succeeded after its last fault (a replica that is not available gets
 *                    no reads)
 * @param lag         for a replica, how far behind the primary it may be: the time since the primary was last
 *                    seen at a position the replica had replayed (the samples' age included); empty when that is
 *                    not known (no sample yet, or the primary unreachable since the replica's last sample)
 * @param routedUnits units run on this host (not counted in a cluster without replicas, where the router steps
 *                    aside)
 * @param fallbacks   for a replica, read-only units meant for it that ran on the primary (it failed, lagged or had
 *                    not replayed the caller's commit in time); for the primary, read-only units it ran because no
 *                    replica could
 * @param problem     why the host is not used for reads, if it is not (its last fault, its role, its lag); never
 *                    credentials or bind values
 */
public record HostStatus(String name, Role role, boolean available, Optional<Duration> lag, long routedUnits,
                         long fallbacks, Optional<String> problem) {

    /** A host's replication role. */
    public enum Role {
        /** Accepts writes. */
        PRIMARY,
        /** Replays the primary's changes; read-only. */
        REPLICA,
        /** Not sampled yet, or unreachable. */
        UNKNOWN
    }

    /** Checks that nothing is null. */
    public HostStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(problem, "problem");
    }
}
