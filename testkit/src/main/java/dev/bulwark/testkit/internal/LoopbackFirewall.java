package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ClusterCommandException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * iptables DROP rules on loopback ports a test cluster opened itself, for packets sent by processes of one
 * OS user (the test's JVM and its HAProxy), so that a server is cut off from its clients but not from its
 * replicas and its Patroni, which run as {@code postgres}. Every rule carries a comment naming the cluster,
 * so that {@link #removeAll()} (and a watchdog after a crash) removes exactly the rules this cluster added.
 *
 * <p>Thread-safe.
 */
public final class LoopbackFirewall {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String tag;
    private final long uid;
    private final Set<Integer> dropped = new LinkedHashSet<>();

    /** A firewall for the cluster named {@code tag}, dropping packets of OS user {@code uid}. */
    public LoopbackFirewall(String tag, long uid) {
        this.tag = tag;
        this.uid = uid;
    }

    /** Drops every packet the user sends to {@code port} on 127.0.0.1; does nothing when already dropped. */
    public synchronized void drop(int port) {
        if (dropped.contains(port)) {
            return;
        }
        run("-I", port);
        dropped.add(port);
    }

    /** Removes the rule for {@code port}; does nothing when there is none. */
    public synchronized void allow(int port) {
        if (dropped.remove(port)) {
            run("-D", port);
        }
    }

    /** Removes every rule this firewall added, even after a failure on one of them. */
    public synchronized void removeAll() {
        RuntimeException failure = null;
        for (int port : List.copyOf(dropped)) {
            try {
                allow(port);
            } catch (RuntimeException e) {
                dropped.remove(port);
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A shell line that deletes every rule tagged for this cluster (for a watchdog). */
    public String cleanupShell() {
        return "iptables -w -S OUTPUT 2>/dev/null | grep -F -- '" + tag + "' | sed 's/^-A /-D /' "
                + "| while read -r rule; do eval iptables -w \"$rule\"; done";
    }

    private void run(String action, int port) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", action, "OUTPUT", "-o", "lo", "-p", "tcp",
                "-d", "127.0.0.1", "--dport", Integer.toString(port), "-m", "owner", "--uid-owner",
                Long.toString(uid), "-m", "comment", "--comment", tag, "-j", "DROP"));
        ExternalCommand.Result result = ExternalCommand.run(argv, Path.of("/"), Map.of(), TIMEOUT);
        if (!result.succeeded()) {
            throw new ClusterCommandException(String.join(" ", argv), result.exitCode(),
                    "output: " + result.output().strip()
                            + " (iptables needs root and the iptables package: apt-get install iptables)", "");
        }
    }
}
