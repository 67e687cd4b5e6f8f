package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger strategy's contract, run against each real database by a subclass. */
abstract class LedgerContract {

    static final Duration BUDGET = Duration.ofSeconds(15);
    static final String TABLE = "bulwark_commit_ledger";

    TestDatabase db;
    ConnectionSource fresh;
    CommitResolver resolver;

    abstract TestDatabase open() throws Exception;

    /** Inserts {@code count} ledger rows created two days ago, ids {@code old-0 ...}. */
    abstract void insertOldRows(int count) throws SQLException;

    static ResolutionSettings ledgerSettings() {
        return ResolutionSettings.defaults().withMode(CommitResolution.LEDGER).withCreateLedger(true);
    }

    @BeforeEach
    void setUp() throws Exception {
        db = open();
        db.execute("CREATE TABLE item (id INT PRIMARY KEY)");
        fresh = ConnectionSource.of(db.dataSource());
        resolver = CommitResolvers.select(ledgerSettings(), fresh);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void committedMarkerResolvesCommitted() throws SQLException {
        CommitToken token;
        try (Connection c = begin(1)) {
            token = resolver.prepare(c);
            c.commit();
        }
        assertThat(resolver.strategy()).isEqualTo(CommitResolution.LEDGER);
        assertThat(resolver.resolve(token, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.COMMITTED);
    }

    @Test
    void rolledBackMarkerResolvesNotCommitted() throws SQLException {
        CommitToken token;
        try (Connection c = begin(1)) {
            token = resolver.prepare(c);
            c.rollback();
        }
        Resolution resolution = resolver.resolve(token, fresh, BUDGET);

        assertThat(resolution.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
        assertThat(ledgerIds()).isEmpty();
    }

    @Test
    void writesCallersUnitIdAsMarker() throws SQLException {
        try (Connection c = begin(1)) {
            resolver.prepare(c, "journal-key-7");
            c.commit();
        }
        assertThat(ledgerIds()).containsExactly("journal-key-7");
    }

    @Test
    void bootstrapIsIdempotent() throws SQLException {
        CommitResolver again = CommitResolvers.select(ledgerSettings(), fresh);

        assertThat(again.strategy()).isEqualTo(CommitResolution.LEDGER);
    }

    @Test
    void refusesLedgerModeWhenTableIsMissingAndMayNotBeCreated() {
        ResolutionSettings settings = ledgerSettings().withCreateLedger(false).withLedgerTable("no_such_ledger");

        assertThatThrownBy(() -> CommitResolvers.select(settings, fresh))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_ledger")
                .hasMessageContaining("META-INF/bulwark/migrations/");
    }

    @Test
    void expiryDeletesOnlyRowsOlderThanRetention() throws SQLException {
        insertOldRows(LedgerExpiry.BATCH + 20);
        List<String> recent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (Connection c = begin(i)) {
                recent.add(((CommitToken.Ledger) resolver.prepare(c)).unitId());
                c.commit();
            }
        }
        LedgerExpiry expiry = CommitResolvers.expiry(resolver, ledgerSettings(), new MutableClock()).orElseThrow();

        int deleted = expiry.expireIfDue(fresh);

        assertThat(deleted).isEqualTo(LedgerExpiry.BATCH + 20);
        assertThat(ledgerIds()).containsExactlyInAnyOrderElementsOf(recent);
    }

    @Test
    void expiryRunsAtMostOncePerInterval() throws SQLException {
        MutableClock clock = new MutableClock();
        LedgerExpiry expiry = CommitResolvers.expiry(resolver, ledgerSettings(), clock).orElseThrow();
        insertOldRows(2);
        assertThat(expiry.expireIfDue(fresh)).isEqualTo(2);

        insertOldRows(1);
        assertThat(expiry.due()).isFalse();
        assertThat(expiry.expireIfDue(fresh)).isZero();
        clock.advance(ledgerSettings().expiryInterval());

        assertThat(expiry.due()).isTrue();
        assertThat(expiry.expireIfDue(fresh)).isEqualTo(1);
    }

    Connection begin(int id) throws SQLException {
        Connection c = db.connect();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO item VALUES (" + id + ")");
        }
        return c;
    }

    List<String> ledgerIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT unit_id FROM " + TABLE)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
