package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testkit.internal.PatroniFiles;
import dev.bulwark.testkit.internal.PatroniFiles.NodeAddress;
import dev.bulwark.testkit.internal.PatroniRest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatroniClusterBuilderTest {

    @Test
    void rejectsDcsTimingPatroniCannotKeep() {
        assertThatThrownBy(() -> PatroniCluster.builder().withDcsTiming(Duration.ofSeconds(6), Duration.ofSeconds(1),
                Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 + 2 * 3 > 6");
        assertThatThrownBy(() -> PatroniCluster.builder().withDcsTiming(Duration.ofMillis(8500), Duration.ofSeconds(1),
                Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> PatroniCluster.builder().withDcsTiming(Duration.ofSeconds(8), null,
                Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopWait");
        assertThat(PatroniCluster.builder().withDcsTiming(Duration.ofSeconds(7), Duration.ofSeconds(1),
                Duration.ofSeconds(3)).toString()).contains("ttl=PT7S");
    }

    @Test
    void rejectsSettingsTheClusterManages() {
        assertThatThrownBy(() -> PatroniCluster.builder().withSetting("port", "5433"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> PatroniCluster.builder().withSetting("work_mem", "4MB\nfsync = on"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatroniCluster.builder().withCommandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
    }

    @Test
    void haproxyChecksEveryNodesRestApiForPrimary() {
        List<NodeAddress> nodes = List.of(new NodeAddress("pg1", 5001, 8001, Path.of("/tmp/x/pg1")),
                new NodeAddress("pg2", 5002, 8002, Path.of("/tmp/x/pg2")));
        String cfg = PatroniFiles.haproxyConfig(6000, nodes, 500);
        assertThat(cfg).contains("bind 127.0.0.1:6000", "option httpchk GET /primary", "http-check expect status 200",
                "on-marked-down shutdown-sessions", "server pg1 127.0.0.1:5001 check port 8001",
                "server pg2 127.0.0.1:5002 check port 8002");
        String yaml = PatroniFiles.patroniYaml("c", nodes.get(0), 2379, Path.of("/usr/lib/postgresql/15/bin"),
                new PatroniFiles.DcsSettings(8, 1, 3, false), Map.of("work_mem", "it's"));
        assertThat(yaml).contains("synchronous_mode: true", "ttl: 8", "loop_wait: 1", "retry_timeout: 3",
                "listen: 127.0.0.1:5001", "listen: 127.0.0.1:8001", "work_mem: 'it''s'", "use_unix_socket: true");
    }

    @Test
    void readsTheMembersOfPatronisClusterDocument() {
        String json = "{\"members\": [{\"name\": \"pg1\", \"role\": \"sync_standby\", \"state\": \"streaming\", "
                + "\"api_url\": \"http://127.0.0.1:8001/patroni\", \"host\": \"127.0.0.1\", \"port\": 5001, "
                + "\"timeline\": 2, \"lag\": 16}, {\"name\": \"pg2\", \"role\": \"leader\", \"state\": \"running\", "
                + "\"port\": 5002, \"timeline\": 2}], \"scope\": \"c\"}";
        assertThat(PatroniRest.parseMembers(json)).containsExactly(
                new PatroniRest.Member("pg1", "sync_standby", "streaming", 5001, 16),
                new PatroniRest.Member("pg2", "leader", "running", 5002, 0));
        assertThat(PatroniRest.parseMembers("{}")).isEmpty();
    }
}
