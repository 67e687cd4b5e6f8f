package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ClusterCommandException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code iptables} rules that cut one Galera test node off from the others: every rule names the node's own
 * loopback address and only the cluster's group-communication ports, and carries a comment unique to the
 * cluster, so that nothing else on the machine is touched and every rule can be found and removed again
 * (also by the watchdog of a JVM that died). Needs root. Thread-safe (calls are serialised by the cluster).
 */
public final class GaleraFirewall {

    private final String tag;
    private final List<List<String>> installed = new ArrayList<>();

    public GaleraFirewall(String tag) {
        this.tag = tag;
    }

    /** The comment every rule of this cluster carries. */
    public String tag() {
        return tag;
    }

    /** Drops all group-communication traffic between {@code node} and the {@code others}, both ways. */
    public synchronized void isolate(GaleraNode node, List<GaleraNode> others) {
        String peers = others.stream().map(n -> Integer.toString(n.groupPort())).collect(Collectors.joining(","));
        String own = Integer.toString(node.groupPort());
        List<List<String>> rules = List.of(
                List.of("-s", node.address(), "-p", "tcp", "-m", "multiport", "--dports", peers),
                List.of("-d", node.address(), "-p", "tcp", "-m", "multiport", "--sports", peers),
                List.of("-d", node.address(), "-p", "tcp", "--dport", own),
                List.of("-s", node.address(), "-p", "tcp", "--sport", own));
        for (List<String> rule : rules) {
            iptables("-I", rule);
            installed.add(rule);
        }
    }

    /** Removes every rule this firewall installed. */
    public synchronized void healAll() {
        ClusterCommandException first = null;
        for (List<String> rule : List.copyOf(installed)) {
            try {
                iptables("-D", rule);
                installed.remove(rule);
            } catch (ClusterCommandException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Whether any rule is installed. */
    public synchronized boolean active() {
        return !installed.isEmpty();
    }

    private void iptables(String op, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5", op, "INPUT"));
        argv.addAll(rule);
        argv.addAll(List.of("-m", "comment", "--comment", tag, "-j", "DROP"));
        ExternalCommand.Result r = ExternalCommand.run(argv, Path.of("/"), Map.of(), Duration.ofSeconds(15));
        if (!r.succeeded()) {
            throw new ClusterCommandException(String.join(" ", argv), r.exitCode(), r.output().trim(), "");
        }
    }

    /** A shell snippet that deletes every rule tagged {@code tag} (for the watchdog). */
    public static String cleanupScript(String tag) {
        return "iptables -w 5 -S INPUT 2>/dev/null | grep -F -- '" + tag + "' | sed 's/^-A /-D /' | "
                + "while read -r rule; do eval iptables -w 5 \"$rule\"; done";
    }
}
