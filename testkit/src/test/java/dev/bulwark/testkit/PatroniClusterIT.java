package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Patroni cluster does what its methods promise, on the real packages: it starts whole, both URLs reach
 * the leader, a switchover moves the leader, an isolated node refuses this JVM's connections while the others
 * still answer, and close() leaves no process, rule or directory behind.
 */
class PatroniClusterIT {

    @Test
    void startsWholeSwitchesOverIsolatesAndCleansUp() throws Exception {
        PatroniCluster cluster = PatroniCluster.builder().start();
        String base;
        try {
            base = cluster.toString();
            String leader = cluster.leader();
            assertThat(cluster.members()).hasSize(3).anyMatch(m -> "sync_standby".equals(m.role()));
            assertThat(isPrimary(cluster.multiHostJdbcUrl(), 5)).isTrue();
            assertThat(isPrimary(cluster.haProxyJdbcUrl(), 5)).isTrue();

            String next = cluster.switchover();
            assertThat(next).isNotEqualTo(leader);
            assertThat(cluster.leader()).isEqualTo(next);
            // HAProxy follows at its next health check of Patroni's REST API: until then it has no server to offer.
            assertThat(haProxyPortWithin(cluster.haProxyJdbcUrl(), 15_000)).isEqualTo(cluster.port(next));

            cluster.isolate(next);
            String direct = "jdbc:postgresql://127.0.0.1:" + cluster.port(next) + "/postgres";
            assertThatThrownBy(() -> isPrimary(direct, 1)).isInstanceOf(SQLException.class);
            cluster.reconnect(next);
            assertThat(isPrimary(direct, 5)).isTrue();
            assertThat(cluster.awaitHealthy()).isEqualTo(next);
        } finally {
            cluster.close();
        }
        assertThat(cluster.toString()).contains("closed");
        String dir = base.substring(base.lastIndexOf(", ") + 2, base.length() - 1);
        assertThat(java.nio.file.Path.of(dir)).doesNotExist();
    }

    private static boolean isPrimary(String url, int connectTimeoutSeconds) throws SQLException {
        try (Connection c = connect(url, connectTimeoutSeconds); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return !rs.getBoolean(1);
        }
    }

    private static int port(String url, int connectTimeoutSeconds) throws SQLException {
        try (Connection c = connect(url, connectTimeoutSeconds); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int haProxyPortWithin(String url, long millis) throws SQLException, InterruptedException {
        long ends = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try {
                return port(url, 5);
            } catch (SQLException e) {
                if (System.nanoTime() > ends) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static Connection connect(String url, int connectTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection(url, p);
    }
}
