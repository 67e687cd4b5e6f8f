package dev.bulwark.jdbc.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.CommitOutcome;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transaction-id strategy against a real PostgreSQL server. */
class TransactionIdResolverIT {

    private static final Duration BUDGET = Duration.ofSeconds(15);

    private TestDatabase db;
    private ConnectionSource fresh;
    private CommitResolver resolver;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.postgres();
        db.execute("CREATE TABLE item (id INT PRIMARY KEY)");
        fresh = ConnectionSource.of(db.dataSource());
        resolver = CommitResolvers.select(ResolutionSettings.defaults(), fresh);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void autoPicksTransactionIdOnPostgres() {
        assertThat(resolver.strategy()).isEqualTo(CommitResolution.TRANSACTION_ID);
    }

    @Test
    void committedTransactionResolvesCommitted() throws SQLException {
        CommitToken token;
        try (Connection c = begin()) {
            token = resolver.prepare(c);
            c.commit();
        }
        assertThat(resolver.resolve(token, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.COMMITTED);
    }

    @Test
    void rolledBackTransactionResolvesNotCommitted() throws SQLException {
        CommitToken token;
        try (Connection c = begin()) {
            token = resolver.prepare(c);
            c.rollback();
        }
        assertThat(resolver.resolve(token, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
    }

    @Test
    void terminatesAbandonedBackendThenResolvesNotCommitted() throws SQLException {
        try (Connection abandoned = begin()) {
            CommitToken token = resolver.prepare(abandoned);

            Resolution resolution = resolver.resolve(token, fresh, BUDGET);

            assertThat(resolution.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
            assertThatThrownBy(() -> abandoned.createStatement().execute("SELECT 1"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(rows()).isZero();
    }

    @Test
    void resolvesCommittedWithoutTerminatingBackendThatCommittedJustBefore() throws SQLException {
        try (Connection old = begin()) {
            CommitToken token = resolver.prepare(old);
            old.commit();

            assertThat(resolver.resolve(token, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.COMMITTED);
            try (Statement s = old.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM item")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void doesNotTrustXidFromAnotherTimelineWithoutLedger() throws SQLException {
        CommitToken.TransactionId token;
        try (Connection c = begin()) {
            token = (CommitToken.TransactionId) resolver.prepare(c);
            c.commit();
        }
        Resolution resolution = resolver.resolve(token.withTimeline(token.timeline() + 1), fresh, BUDGET);

        assertThat(resolution.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
        assertThat(resolution.detail()).contains("server history changed");
    }

    @Test
    void doesNotTrustXidFromAnotherClusterWithoutLedger() throws SQLException {
        CommitToken.TransactionId token;
        try (Connection c = begin()) {
            token = (CommitToken.TransactionId) resolver.prepare(c);
            c.commit();
        }
        CommitToken.TransactionId otherCluster = new CommitToken.TransactionId(token.xid(), token.backendPid(),
                token.systemIdentifier() + 1, token.timeline(), token.postmasterStart(), Optional.empty());

        assertThat(resolver.resolve(otherCluster, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.UNKNOWN);
    }

    @Test
    void fallsBackToLedgerWhenServerHistoryChanged() throws Exception {
        CommitResolver withLedger = CommitResolvers.select(
                ResolutionSettings.defaults().withCreateLedger(true).withLedgerFallback(true), fresh);
        CommitToken.TransactionId committed;
        try (Connection c = begin()) {
            committed = (CommitToken.TransactionId) withLedger.prepare(c);
            c.commit();
        }
        CommitToken.TransactionId rolledBack;
        try (Connection c = begin(2)) {
            rolledBack = (CommitToken.TransactionId) withLedger.prepare(c);
            c.rollback();
        }

        Resolution first = withLedger.resolve(committed.withTimeline(committed.timeline() + 1), fresh, BUDGET);
        Resolution second = withLedger.resolve(rolledBack.withTimeline(rolledBack.timeline() + 1), fresh, BUDGET);

        assertThat(committed.ledger()).isPresent();
        assertThat(first.outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(first.detail()).contains("server history changed").contains("commit marker present");
        assertThat(second.outcome()).isEqualTo(CommitOutcome.NOT_COMMITTED);
    }

    @Test
    void doesNotTrustCommittedXidAfterServerRestart() throws SQLException {
        CommitToken.TransactionId token;
        try (Connection c = begin()) {
            token = (CommitToken.TransactionId) resolver.prepare(c);
            c.commit();
        }
        Resolution resolution = resolver.resolve(restarted(token), fresh, BUDGET);

        assertThat(resolution.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
        assertThat(resolution.detail()).contains("restarted");
    }

    @Test
    void abortedXidAfterServerRestartIsNotCommitted() throws SQLException {
        CommitToken.TransactionId token;
        try (Connection c = begin()) {
            token = (CommitToken.TransactionId) resolver.prepare(c);
            c.rollback();
        }
        assertThat(resolver.resolve(restarted(token), fresh, BUDGET).outcome())
                .isEqualTo(CommitOutcome.NOT_COMMITTED);
    }

    @Test
    void xidFromTheFutureOfTheSameServerIsUnknown() throws SQLException {
        CommitToken.TransactionId token;
        try (Connection c = begin()) {
            token = (CommitToken.TransactionId) resolver.prepare(c);
            c.rollback();
        }
        CommitToken.TransactionId future = new CommitToken.TransactionId(
                Long.toString(Long.parseLong(token.xid()) + 1_000_000_000L), token.backendPid(),
                token.systemIdentifier(), token.timeline(), token.postmasterStart(), Optional.empty());

        assertThat(resolver.resolve(future, fresh, BUDGET).outcome()).isEqualTo(CommitOutcome.UNKNOWN);
    }

    @Test
    void keepsPollingWhenReconnectingFailsAtFirst() throws Exception {
        CommitToken token;
        try (Connection c = begin()) {
            token = resolver.prepare(c);
            c.commit();
        }
        AtomicInteger attempts = new AtomicInteger();
        ConnectionSource refused = refused();
        ConnectionSource refusedOnce = () -> attempts.getAndIncrement() == 0 ? refused.open() : fresh.open();

        Resolution resolution = resolver.resolve(token, refusedOnce, BUDGET);

        assertThat(resolution.outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(resolution.failures()).hasSize(1);
        assertThat(resolution.failures().get(0).getSQLState()).startsWith("08");
    }

    @Test
    void answersUnknownWithCausesWhenNoConnectionOpensWithinBudget() throws Exception {
        CommitToken token;
        try (Connection c = begin()) {
            token = resolver.prepare(c);
            c.commit();
        }
        Resolution resolution = resolver.resolve(token, refused(), Duration.ofMillis(300));

        assertThat(resolution.outcome()).isEqualTo(CommitOutcome.UNKNOWN);
        assertThat(resolution.detail()).contains("budget spent");
        assertThat(resolution.failures()).isNotEmpty().hasSizeLessThanOrEqualTo(Resolution.MAX_FAILURES);
    }

    /** Connections to a loopback port nobody listens on: the server refuses them for real. */
    private ConnectionSource refused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = db.jdbcUrlVia("127.0.0.1", port);
        return () -> DriverManager.getConnection(url, db.connectionProperties());
    }

    @Test
    void refusesTokenOfAnotherStrategy() {
        assertThatThrownBy(() -> resolver.resolve(new CommitToken.Ledger("u1", -1), fresh, BUDGET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Ledger");
    }

    private static CommitToken.TransactionId restarted(CommitToken.TransactionId token) {
        return new CommitToken.TransactionId(token.xid(), token.backendPid(), token.systemIdentifier(),
                token.timeline(), "0", Optional.empty());
    }

    private Connection begin() throws SQLException {
        return begin(1);
    }

    private Connection begin(int id) throws SQLException {
        Connection c = db.connect();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO item VALUES (" + id + ")");
        }
        return c;
    }

    private int rows() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
