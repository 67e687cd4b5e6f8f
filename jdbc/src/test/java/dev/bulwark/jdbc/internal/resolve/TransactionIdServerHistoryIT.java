package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transaction-id strategy on its own PostgreSQL clusters: a real promotion (new timeline), a real
 * crash and restart, and a user without the privileges it needs.
 */
class TransactionIdServerHistoryIT {

    private static final Duration BUDGET = Duration.ofSeconds(10);

    private static ScratchPostgres primary;

    @BeforeAll
    static void startPrimary() throws Exception {
        primary = ScratchPostgres.primary();
        primary.execute("CREATE TABLE item (id INT PRIMARY KEY)",
                "CREATE ROLE app LOGIN", "GRANT ALL ON item TO app", "GRANT CREATE ON SCHEMA public TO app");
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void xidFromOldPrimaryIsNotTrustedOnPromotedStandbyButLedgerAnswers() throws Exception {
        ResolutionSettings settings = ResolutionSettings.defaults().withCreateLedger(true).withLedgerFallback(true);
        ConnectionSource onPrimary = ConnectionSource.of(primary.dataSource("postgres"));
        TransactionIdResolver withLedger = (TransactionIdResolver) CommitResolvers.select(settings, onPrimary);
        TransactionIdResolver xidOnly = new TransactionIdResolver(Optional.empty(), Duration.ofMillis(200));
        CommitToken token;
        try (Connection c = onPrimary.open()) {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
            token = withLedger.prepare(c);
            c.commit();
        }
        try (ScratchPostgres standby = primary.standby()) {
            awaitReplayed(standby);
            standby.promote();
            ConnectionSource onNewPrimary = ConnectionSource.of(standby.dataSource("postgres"));
            // Right after promotion the insert position is on the new timeline at once, while
            // pg_control_checkpoint() may still show the old one (seen: 1 vs 000000020000...).
            long insertTimeline;
            try (Connection c = onNewPrimary.open(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")) {
                rs.next();
                insertTimeline = Long.parseLong(rs.getString(1), 16);
            }

            Resolution xidAnswer = xidOnly.resolve(withoutLedger((CommitToken.TransactionId) token), onNewPrimary, BUDGET);
            Resolution ledgerAnswer = withLedger.resolve(token, onNewPrimary, BUDGET);

            assertThat(insertTimeline).isEqualTo(((CommitToken.TransactionId) token).timeline() + 1);
            assertThat(xidAnswer.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
            assertThat(xidAnswer.detail()).contains("server history changed");
            assertThat(ledgerAnswer.outcome()).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(ledgerAnswer.detail()).contains("commit marker present");
        }
    }

    @Test
    void afterCrashRestartTrustsOnlyWhatCannotBeAReusedXid() throws Exception {
        ResolutionSettings settings = ResolutionSettings.defaults().withCreateLedger(true).withLedgerFallback(true);
        ConnectionSource source = ConnectionSource.of(primary.dataSource("postgres"));
        TransactionIdResolver withLedger = (TransactionIdResolver) CommitResolvers.select(settings, source);
        TransactionIdResolver xidOnly = new TransactionIdResolver(Optional.empty(), Duration.ofMillis(200));
        CommitToken committed;
        try (Connection c = source.open()) {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO item VALUES (10)");
            committed = withLedger.prepare(c);
            c.commit();
        }
        CommitToken inFlight;
        try (Connection c = source.open()) {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO item VALUES (11)");
            inFlight = xidOnly.prepare(c);

            primary.crashRestart();
        }

        Resolution committedByXid = xidOnly.resolve(withoutLedger((CommitToken.TransactionId) committed), source, BUDGET);
        Resolution committedByLedger = withLedger.resolve(committed, source, BUDGET);
        Resolution lostInCrash = xidOnly.resolve(inFlight, source, BUDGET);

        assertThat(committedByXid.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
        assertThat(committedByXid.detail()).contains("restarted");
        assertThat(committedByLedger.outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lostInCrash.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
    }

    @Test
    void degradesWhenUserMayNotReadControlData() throws Exception {
        primary.execute("REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC");
        try {
            ConnectionSource asApp = ConnectionSource.of(primary.dataSource("app"));

            CommitResolver auto = CommitResolvers.select(ResolutionSettings.defaults().withLedgerTable("app_ledger"), asApp);
            CommitResolver autoWithLedger = CommitResolvers.select(
                    ResolutionSettings.defaults().withLedgerTable("app_ledger").withCreateLedger(true), asApp);

            assertThat(auto.strategy()).isEqualTo(CommitResolution.OFF);
            assertThat(autoWithLedger.strategy()).isEqualTo(CommitResolution.LEDGER);
            assertThatThrownBy(() -> CommitResolvers.select(
                    ResolutionSettings.defaults().withMode(CommitResolution.TRANSACTION_ID), asApp))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("pg_control_system()");
        } finally {
            primary.execute("GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC");
        }
    }

    private static CommitToken.TransactionId withoutLedger(CommitToken.TransactionId token) {
        return new CommitToken.TransactionId(token.xid(), token.backendPid(), token.systemIdentifier(),
                token.timeline(), token.postmasterStart(), Optional.empty());
    }

    private static void awaitReplayed(ScratchPostgres standby) throws Exception {
        String target;
        try (Connection c = primary.dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            target = rs.getString(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = standby.dataSource("postgres").getConnection()) {
            while (true) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("standby did not replay up to " + target + " within 30 s");
                }
                Thread.onSpinWait();
            }
        }
    }
}
