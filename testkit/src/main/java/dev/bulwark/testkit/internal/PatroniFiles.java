package dev.bulwark.testkit.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders the configuration files of a Patroni test cluster: one Patroni YAML file per node and the HAProxy
 * configuration that health-checks Patroni's REST API. Pure functions; stateless and thread-safe.
 */
public final class PatroniFiles {

    /** Where one node listens and keeps its files. */
    public record NodeAddress(String name, int pgPort, int restPort, Path directory) {
    }

    /** Patroni's DCS timing and modes, written into {@code bootstrap.dcs}. */
    public record DcsSettings(int ttl, int loopWait, int retryTimeout, boolean failsafeMode) {
    }

    private PatroniFiles() {
    }

    /** The Patroni YAML for {@code node}, bootstrapping a {@code synchronous_mode} cluster named {@code scope}. */
    public static String patroniYaml(String scope, NodeAddress node, int etcdPort, Path binDirectory,
                                     DcsSettings dcs, Map<String, String> parameters) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("scope: ").append(scope).append('\n')
                .append("name: ").append(node.name()).append('\n')
                .append("log:\n  level: INFO\n  format: '%(asctime)s %(levelname)s: %(message)s'\n")
                .append("restapi:\n")
                .append("  listen: 127.0.0.1:").append(node.restPort()).append('\n')
                .append("  connect_address: 127.0.0.1:").append(node.restPort()).append('\n')
                .append("etcd3:\n  host: 127.0.0.1:").append(etcdPort).append('\n')
                .append("bootstrap:\n  dcs:\n")
                .append("    ttl: ").append(dcs.ttl()).append('\n')
                .append("    loop_wait: ").append(dcs.loopWait()).append('\n')
                .append("    retry_timeout: ").append(dcs.retryTimeout()).append('\n')
                .append("    maximum_lag_on_failover: 1048576\n")
                .append("    synchronous_mode: true\n")
                .append("    failsafe_mode: ").append(dcs.failsafeMode()).append('\n')
                .append("    postgresql:\n      use_pg_rewind: true\n      use_slots: true\n      parameters:\n");
        parameters.forEach((name, value) -> yaml.append("        ").append(name).append(": '")
                .append(value.replace("'", "''")).append("'\n"));
        yaml.append("  initdb:\n  - encoding: UTF8\n  - locale: C\n  - no-sync\n")
                .append("postgresql:\n")
                .append("  listen: 127.0.0.1:").append(node.pgPort()).append('\n')
                .append("  connect_address: 127.0.0.1:").append(node.pgPort()).append('\n')
                .append("  data_dir: ").append(node.directory().resolve("data")).append('\n')
                .append("  bin_dir: ").append(binDirectory).append('\n')
                .append("  pgpass: ").append(node.directory().resolve("pgpass")).append('\n')
                .append("  use_unix_socket: true\n")
                .append("  authentication:\n")
                .append("    superuser: {username: postgres}\n")
                .append("    replication: {username: postgres}\n")
                .append("    rewind: {username: postgres}\n")
                .append("  pg_hba:\n")
                .append("  - local all all trust\n")
                .append("  - host all all 127.0.0.1/32 trust\n")
                .append("  - host replication all 127.0.0.1/32 trust\n")
                .append("  parameters:\n")
                .append("    unix_socket_directories: '").append(node.directory()).append("'\n");
        return yaml.toString();
    }

    /**
     * HAProxy in TCP mode on {@code port}, sending clients to the node whose REST API answers 200 to
     * {@code GET /primary}, checked every {@code checkMillis}; sessions on a node marked down are cut.
     */
    public static String haproxyConfig(int port, List<NodeAddress> nodes, int checkMillis) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n    maxconn 512\n")
                .append("defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 30m\n")
                .append("    timeout server 30m\n    timeout check 1s\n")
                .append("listen postgres_primary\n")
                .append("    bind 127.0.0.1:").append(port).append('\n')
                .append("    option httpchk GET /primary\n")
                .append("    http-check expect status 200\n")
                .append("    default-server inter ").append(checkMillis).append("ms fall 2 rise 1")
                .append(" on-marked-down shutdown-sessions\n");
        for (NodeAddress node : nodes) {
            cfg.append("    server ").append(node.name()).append(" 127.0.0.1:").append(node.pgPort())
                    .append(" check port ").append(node.restPort()).append('\n');
        }
        return cfg.toString();
    }
}
