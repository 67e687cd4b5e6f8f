package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Commit-ledger rows older than the retention (24 h) are deleted in the background, in bounded batches, once
 * units write markers; rows within the retention stay.
 */
class LedgerExpiryIT {

    private static final String OLD = "SELECT count(*) FROM bulwark_commit_ledger WHERE unit_id LIKE 'old-%'";

    @Test
    void postgresLedgerRowsOlderThanTheRetentionExpire() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            oldRowsExpire(db, "INSERT INTO bulwark_commit_ledger (unit_id, created_at) SELECT 'old-' || g,"
                    + " CURRENT_TIMESTAMP - INTERVAL '2' DAY FROM generate_series(1, 1200) g");
        }
    }

    @Test
    void mariadbLedgerRowsOlderThanTheRetentionExpire() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            oldRowsExpire(db, "INSERT INTO bulwark_commit_ledger (unit_id, created_at) SELECT CONCAT('old-', seq),"
                    + " CURRENT_TIMESTAMP(3) - INTERVAL 2 DAY FROM seq_1_to_1200");
        }
    }

    private static void oldRowsExpire(TestDatabase db, String insertOld) throws Exception {
        BulwarkDataSource ds = Bulwark.wrap(db.dataSource(), BulwarkConfig.builder().withJdbc(JdbcConfig.builder()
                .withCommitResolution(CommitResolution.LEDGER).withCreateCommitLedger(true).build()).build());
        ds.getConnection().close(); // creates the ledger table
        db.execute(insertOld, "INSERT INTO bulwark_commit_ledger (unit_id) VALUES ('recent-1')");
        assertThat(count(db, OLD)).isEqualTo(1200);

        for (int i = 0; i < 3; i++) {
            ds.inTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        }
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(db, OLD) > 0 && System.nanoTime() < until) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }

        assertThat(count(db, OLD)).as("rows older than the retention are deleted").isZero();
        assertThat(count(db, "SELECT count(*) FROM bulwark_commit_ledger WHERE unit_id = 'recent-1'"))
                .as("rows within the retention stay").isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM bulwark_commit_ledger WHERE unit_id NOT LIKE 'old-%'"
                + " AND unit_id <> 'recent-1'")).as("the units' own markers stay").isEqualTo(3);
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
