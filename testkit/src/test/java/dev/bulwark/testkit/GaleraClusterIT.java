package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * One three-node cluster through its life: replication between nodes, a node killed and rejoined, a node
 * isolated by the firewall (quorum loss: 1047) and healed, then closed without a trace.
 */
class GaleraClusterIT {

    @Test
    void replicatesSurvivesKillRejoinsAndLosesQuorumWhenIsolated() throws Exception {
        Path base;
        String tag;
        try (GaleraCluster galera = GaleraCluster.builder().start()) {
            base = galera.directory();
            tag = galera.firewallTag();
            assertThat(galera.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                assertThat(galera.status(i, "wsrep_cluster_size")).isEqualTo("3");
            }
            exec(galera.jdbcUrl(0), "CREATE TABLE kit (id INT PRIMARY KEY, v INT)");
            exec(galera.jdbcUrl(0), "INSERT INTO kit VALUES (1, 10)");
            assertThat(count(galera.jdbcUrl(2))).isEqualTo(1); // synchronous: visible on another node at once

            galera.kill(0);
            assertThat(galera.isRunning(0)).isFalse();
            // The sequential URL moves on to the next node; the two survivors keep quorum.
            exec(galera.sequentialJdbcUrl(), "INSERT INTO kit VALUES (2, 20)");
            assertThat(galera.status(1, "wsrep_cluster_status")).isEqualTo("Primary");

            galera.start(0); // rejoins by state transfer and catches up
            assertThat(count(galera.jdbcUrl(0))).isEqualTo(2);
            assertThat(galera.status(0, "wsrep_cluster_size")).isEqualTo("3");

            galera.isolate(2);
            galera.awaitNonPrimary(2);
            assertThatThrownBy(() -> exec(galera.jdbcUrl(2), "INSERT INTO kit VALUES (3, 30)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1047));
            exec(galera.jdbcUrl(1), "INSERT INTO kit VALUES (4, 40)"); // the majority goes on
            galera.heal();
            galera.awaitSynced(2);
            assertThat(count(galera.jdbcUrl(2))).isEqualTo(3);
        }
        assertThat(Files.exists(base)).as("directory deleted").isFalse();
        Process rules = new ProcessBuilder("iptables", "-S", "INPUT").redirectErrorStream(true).start();
        assertThat(new String(rules.getInputStream().readAllBytes())).doesNotContain(tag);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(base.toString()))
                .filter(p -> p.info().command().orElse("").endsWith("mariadbd")).count()).isZero();
    }

    @Test
    void builderRejectsBadSettings() {
        assertThatThrownBy(() -> GaleraCluster.builder().withNodes(0)).hasMessageContaining("nodes");
        assertThatThrownBy(() -> GaleraCluster.builder().withCommandTimeout(java.time.Duration.ZERO))
                .hasMessageContaining("commandTimeout");
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int count(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kit")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
