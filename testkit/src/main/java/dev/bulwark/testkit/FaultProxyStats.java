package dev.bulwark.testkit;

import dev.bulwark.testkit.FaultProxy.CutReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of what a {@link FaultProxy} has done since it started, so a test can assert that a fault
 * really happened.
 *
 * <p>Immutable and thread-safe. Counters are read one by one, so a snapshot taken while traffic flows
 * may be off by the bytes in flight.
 *
 * @param connectionsAccepted TCP connections the proxy accepted, including those it then refused or dropped
 * @param openConnections     connections currently forwarded
 * @param connectionsCut      connections the proxy broke, per reason (every reason present)
 * @param commitsSeen         COMMIT statements recognised in client traffic
 * @param commitsCut          COMMITs after which the proxy cut the connection
 * @param bytesToServer       bytes forwarded from clients to the server
 * @param bytesToClient       bytes forwarded from the server to clients
 */
public record FaultProxyStats(long connectionsAccepted, int openConnections, Map<CutReason, Long> connectionsCut,
                              long commitsSeen, long commitsCut, long bytesToServer, long bytesToClient) {

    /** Copies the map so the snapshot stays immutable; a reason missing from it counts zero. */
    public FaultProxyStats {
        Map<CutReason, Long> all = new EnumMap<>(CutReason.class);
        for (CutReason reason : CutReason.values()) {
            all.put(reason, connectionsCut.getOrDefault(reason, 0L));
        }
        connectionsCut = Map.copyOf(all);
    }

    /** Connections broken for {@code reason}. */
    public long connectionsCut(CutReason reason) {
        return connectionsCut.get(reason);
    }
}
