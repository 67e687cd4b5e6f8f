package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An explicit LEDGER mode is a configuration error only when the ledger cannot work on the database. A transient
 * failure while the first acquisition creates the table (another instance creating it at the same moment, the
 * inspecting connection killed) says nothing about the configuration: it must not make the data source refuse every
 * connection for the rest of its life (docs/transactions.md: "While the database cannot be inspected at all ...
 * the next acquisition inspects again").
 */
class LedgerSetupTransientFailureIT {

    private static BulwarkConfig ledgerCreatedIfMissing() {
        return BulwarkConfig.builder().withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.LEDGER)
                .withCreateCommitLedger(true).build()).build();
    }

    private static final String SAME_TABLE = "CREATE TABLE bulwark_commit_ledger (unit_id VARCHAR(64) PRIMARY KEY,"
            + " created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)";

    /** Two application instances starting at once: both create the ledger; the loser gets 23505 from the catalog. */
    @Test
    void aConcurrentCreationOfTheLedgerByAnotherInstanceIsNotAPermanentConfigurationError() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection other = db.connect()) {
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withConfig(ledgerCreatedIfMissing()).build();
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute(SAME_TABLE);
            }
            CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
                try (Connection c = ds.getConnection()) {
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            waitUntilBlocked(db);
            other.commit(); // the other instance's CREATE wins; ours fails with a unique violation in pg_type
            Throwable firstFailure = first.get(30, TimeUnit.SECONDS);

            // The ledger now exists and works: the data source must serve connections (at the latest on a later try).
            Throwable later = null;
            try (Connection c = ds.getConnection()) {
                later = null;
            } catch (SQLException e) {
                later = e;
            }
            assertThat(later).as("after a transient failure at set-up (first attempt: %s), the ledger exists and the"
                    + " data source must not refuse connections forever", firstFailure).isNull();
            int one = ds.inTransaction(c -> 1);
            assertThat(one).isEqualTo(1);
        }
    }

    /** The inspecting connection is killed while it creates the table: the database went away meanwhile. */
    @Test
    void theInspectingConnectionKilledDuringSetUpIsNotAPermanentConfigurationError() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection other = db.connect()) {
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withConfig(ledgerCreatedIfMissing()).build();
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute(SAME_TABLE);
            }
            CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
                try (Connection c = ds.getConnection()) {
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            int pid = waitUntilBlocked(db);
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.executeQuery("SELECT pg_terminate_backend(" + pid + ")").close();
            }
            // The table does not exist; Bulwark may create it. Released before waiting for the first attempt: a
            // retry of that attempt would otherwise block on this transaction's lock until its deadline.
            other.rollback();
            Throwable firstFailure = first.get(30, TimeUnit.SECONDS);

            Throwable later = null;
            try (Connection c = ds.getConnection()) {
                later = null;
            } catch (SQLException e) {
                later = e;
            }
            assertThat(later).as("a connection killed during set-up (first attempt: %s) is not a verdict on the"
                    + " configuration", firstFailure).isNull();
            int one = ds.inTransaction(c -> 1);
            assertThat(one).isEqualTo(1);
        }
    }

    /** The pid of Bulwark's connection blocked on the other transaction's catalog lock. */
    private static int waitUntilBlocked(TestDatabase db) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            while (System.nanoTime() < until) {
                try (ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock' AND query ILIKE 'CREATE TABLE IF NOT EXISTS%'")) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("Bulwark's set-up never blocked on the other CREATE TABLE");
    }
}
