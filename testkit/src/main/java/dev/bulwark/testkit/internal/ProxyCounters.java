package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultProxy.CutReason;
import dev.bulwark.testkit.FaultProxyStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What a proxy has done so far. Thread-safe: atomic counters, read without a common lock. */
public final class ProxyCounters {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong commitsSeen = new AtomicLong();
    private final AtomicLong commitsCut = new AtomicLong();
    private final AtomicLong bytesToServer = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final Map<CutReason, AtomicLong> cuts = new EnumMap<>(CutReason.class);

    public ProxyCounters() {
        for (CutReason reason : CutReason.values()) {
            cuts.put(reason, new AtomicLong());
        }
    }

    public void connectionAccepted() {
        accepted.incrementAndGet();
    }

    public long commitSeen() {
        return commitsSeen.incrementAndGet();
    }

    public void commitCut() {
        commitsCut.incrementAndGet();
    }

    public void cut(CutReason reason) {
        cuts.get(reason).incrementAndGet();
    }

    public void toServer(int bytes) {
        bytesToServer.addAndGet(bytes);
    }

    public void toClient(int bytes) {
        bytesToClient.addAndGet(bytes);
    }

    public FaultProxyStats snapshot(int openConnections) {
        Map<CutReason, Long> cutCounts = new EnumMap<>(CutReason.class);
        cuts.forEach((reason, count) -> cutCounts.put(reason, count.get()));
        return new FaultProxyStats(accepted.get(), openConnections, cutCounts, commitsSeen.get(), commitsCut.get(),
                bytesToServer.get(), bytesToClient.get());
    }
}
