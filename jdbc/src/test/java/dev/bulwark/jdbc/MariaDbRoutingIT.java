package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.TimeoutConfig;
import dev.bulwark.jdbc.cluster.ClusterDataSource;
import dev.bulwark.jdbc.cluster.HostStatus;
import dev.bulwark.jdbc.cluster.Replicas;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Read routing on a real MariaDB primary and asynchronous GTID replica (docs/clusters.md): read-only units on the
 * replica; read-your-writes by {@code @@last_gtid} and {@code MASTER_GTID_WAIT}; with the replica's SQL thread
 * stopped, the caller's reads go to the primary and see their writes, and once the lag exceeds the bound, everyone's.
 */
class MariaDbRoutingIT {

    private static final TransactionOptions READ = TransactionOptions.builder().withReadOnly(true).build();

    private static HikariDataSource pool(String url, String name) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername("root");
        c.setPassword("");
        c.setMaximumPoolSize(3);
        c.setConnectionTimeout(1000);
        c.setPoolName(name);
        return new HikariDataSource(c);
    }

    private static long serverId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM test.rows_seen WHERE id = " + id)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void readOnlyUnitsRunOnTheReplicaAndEveryReadSeesItsThreadsWritesWhileReplayStops() throws Exception {
        boolean require = Boolean.getBoolean("bulwark.test.requireDatabases");
        if (!MariaDbReplicaPair.available()) {
            Assumptions.assumeFalse(require, "MariaDB binaries are required");
            Assumptions.abort("install mariadb-server to run this test");
        }
        BulwarkConfig config = BulwarkConfig.builder().withName("maria")
                .withTimeouts(TimeoutConfig.builder().withTotal(Duration.ofSeconds(5)).build())
                .with(BulwarkProperties.REPLICA_MAX_LAG, Duration.ofSeconds(1))
                .with(BulwarkProperties.REPLICA_SAMPLE_INTERVAL, Duration.ofMillis(100)).build();
        try (MariaDbReplicaPair pair = new MariaDbReplicaPair();
             HikariDataSource primary = pool(pair.url(pair.primaryPort), "maria-primary");
             HikariDataSource replica = pool(pair.url(pair.replicaPort), "maria-replica");
             ClusterDataSource db = Bulwark.wrap(primary, Replicas.of(replica), config)) {
            try (Connection c = MariaDbReplicaPair.connect(pair.primaryPort); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE test.rows_seen (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
            }
            ClusterRoutingIT.awaitReplicaQualifies(db);
            assertThat((long) db.inTransaction(READ, MariaDbRoutingIT::serverId)).isEqualTo(2);
            assertThat((long) db.inTransaction(MariaDbRoutingIT::serverId)).isEqualTo(1);
            for (long id = 1; id <= 20; id++) {
                long written = id;
                db.inTransaction(c -> {
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate("INSERT INTO test.rows_seen VALUES (" + written + ")");
                    }
                });
                assertThat(db.readToken().toString()).startsWith("gtid:0-1-");
                if (id == 10) {
                    pair.replay(false); // from here on the replica receives but does not apply
                }
                assertThat((long) db.inTransaction(READ, c -> count(c, written))).as("read after write %d", id)
                        .isEqualTo(1);
            }
            HostStatus replicaStatus = db.hosts().get(1);
            assertThat(replicaStatus.routedUnits()).as("reads ran on the replica before replay stopped").isPositive();
            assertThat(replicaStatus.fallbacks()).as("reads that waited for the stopped replica went to the primary")
                    .isPositive();
            ScenarioPool.await(() -> db.hosts().get(1).problem().isPresent(), Duration.ofSeconds(10),
                    "the stopped replica is over the lag bound");
            // Another thread, without this thread's token: the staleness bound sends it to the primary as well.
            long[] seen = new long[1];
            Thread other = new Thread(() -> {
                try {
                    seen[0] = db.inTransaction(READ, c -> count(c, 20));
                } catch (SQLException e) {
                    seen[0] = -1;
                }
            });
            other.start();
            other.join();
            assertThat(seen[0]).isEqualTo(1);
            pair.replay(true);
            ClusterRoutingIT.awaitReplicaQualifies(db);
            assertThat((long) db.inTransaction(READ, MariaDbRoutingIT::serverId)).isEqualTo(2);
        }
    }
}
