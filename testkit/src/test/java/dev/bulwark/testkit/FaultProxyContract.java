package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.FaultProxy.CutReason;
import dev.bulwark.testkit.FaultProxy.Direction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every driver must meet through a {@link FaultProxy}; one subclass per real server and driver. */
abstract class FaultProxyContract {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxyContract.class);

    TestDatabase db;
    FaultProxy proxy;

    /** A fresh database on the real server. */
    abstract TestDatabase openDatabase() throws Exception;

    /** The database's URL through the proxy, with timeouts: connect/login {@code loginSeconds}, socket 10 s. */
    abstract String urlViaProxy(int loginSeconds);

    @BeforeEach
    void startProxy() throws Exception {
        db = openDatabase();
        db.execute("CREATE TABLE ledger (marker VARCHAR(64) PRIMARY KEY)");
        proxy = FaultProxy.builder(db.host(), db.port()).withSeed(20_261_122L).start();
    }

    @AfterEach
    void stopProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (db != null) {
            db.close();
        }
    }

    Connection connectViaProxy() throws SQLException {
        return connectViaProxy(5);
    }

    Connection connectViaProxy(int loginSeconds) throws SQLException {
        return DriverManager.getConnection(urlViaProxy(loginSeconds), db.connectionProperties());
    }

    @Test
    void passesQueriesThrough() throws Exception {
        try (Connection c = connectViaProxy(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO ledger VALUES ('a'), ('b')");
            assertThat(selectOne(c)).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ledger")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
        FaultProxyStats stats = proxy.stats();
        assertThat(stats.connectionsAccepted()).isEqualTo(1);
        assertThat(stats.bytesToServer()).isPositive();
        assertThat(stats.bytesToClient()).isPositive();
        assertThat(stats.connectionsCut()).allSatisfy((reason, count) -> assertThat(count).isZero());
    }

    @Test
    void aRoundTripTakesAtLeastTheConfiguredLatency() throws Exception {
        try (Connection c = connectViaProxy()) {
            proxy.setLatency(Direction.CLIENT_TO_SERVER, Duration.ofMillis(120), Duration.ZERO);
            proxy.setLatency(Direction.SERVER_TO_CLIENT, Duration.ofMillis(80), Duration.ofMillis(40));
            long start = System.nanoTime();
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            proxy.clearLatency();
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void cutAllConnectionsMakesTheNextCallFailWithAConnectionError() throws Exception {
        try (Connection c = connectViaProxy()) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(proxy.cutAllConnections()).isEqualTo(1);
            SQLException e = catchThrowableOfType(SQLException.class, () -> selectOne(c));
            report("cut all, next call", e);
            assertThat(e.getSQLState()).startsWith("08");
            assertThat(c.isClosed()).as("the driver gave the connection up").isTrue();
        }
        assertThat(proxy.stats().connectionsCut(CutReason.CUT_ALL)).isEqualTo(1);
        try (Connection c = connectViaProxy()) {
            assertThat(selectOne(c)).as("new connections still pass").isEqualTo(1);
        }
    }

    @Test
    void blackholeLeavesACallUnansweredUntilTheNetworkTimeout() throws Exception {
        try (Connection c = connectViaProxy()) {
            assertThat(selectOne(c)).isEqualTo(1);
            c.setNetworkTimeout(Runnable::run, 1000);
            proxy.blackhole(true);
            long toClient = proxy.stats().bytesToClient();
            long start = System.nanoTime();
            SQLException e = catchThrowableOfType(SQLException.class, () -> selectOne(c));
            report("blackhole, call with network timeout 1 s", e);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(e.getSQLState()).startsWith("08");
            assertThat(proxy.stats().bytesToClient()).as("nothing answered").isEqualTo(toClient);
            assertThat(c.isClosed()).as("the driver gave the connection up").isTrue();
        }
    }

    @Test
    void blackholeKeepsNewConnectionsHangingUntilLifted() throws Exception {
        proxy.blackhole(true);
        SQLException e = catchThrowableOfType(SQLException.class, () -> connectViaProxy(1).close());
        report("blackhole, new connection with login timeout 1 s", e);
        assertThat(e.getSQLState()).startsWith("08");
        assertThat(proxy.stats().connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.stats().bytesToClient()).isZero();
        proxy.blackhole(false);
        try (Connection c = connectViaProxy()) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void refusedNewConnectionsFailWhileAnOpenOneWorks() throws Exception {
        try (Connection open = connectViaProxy()) {
            proxy.refuseNewConnections(true);
            SQLException e = catchThrowableOfType(SQLException.class, () -> connectViaProxy().close());
            report("refused new connection", e);
            assertThat(e.getSQLState()).startsWith("08");
            assertThat(selectOne(open)).as("the open connection continues").isEqualTo(1);
            proxy.refuseNewConnections(false);
            try (Connection again = connectViaProxy()) {
                assertThat(selectOne(again)).isEqualTo(1);
            }
        }
        assertThat(proxy.stats().connectionsCut(CutReason.REFUSED)).isEqualTo(1);
    }

    @Test
    void dropsEveryNewConnectionAtFractionOneAndNoneAtZero() throws Exception {
        proxy.dropNewConnections(1.0);
        for (int i = 0; i < 3; i++) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> connectViaProxy().close());
            report("dropped new connection", e);
            assertThat(e.getSQLState()).startsWith("08");
        }
        proxy.dropNewConnections(0.0);
        for (int i = 0; i < 3; i++) {
            try (Connection c = connectViaProxy()) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
        assertThat(proxy.stats().connectionsCut(CutReason.DROPPED)).isEqualTo(3);
        assertThat(proxy.stats().connectionsAccepted()).isEqualTo(6);
    }

    @Test
    void cutAtCommitFailsTheClientAlthoughTheServerCommitted() throws Exception {
        String marker = "cut-" + UUID.randomUUID();
        try (Connection c = connectViaProxy()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 7; i++) { // pgjdbc turns COMMIT into a named statement after 5 uses
                insert(c, "before-" + i);
                c.commit();
            }
            proxy.cutOnCommit(1);
            insert(c, marker);
            assertThat(selectText(c, "SELECT 'COMMIT'")).as("a statement that is not a COMMIT passes")
                    .isEqualTo("COMMIT");
            SQLException e = catchThrowableOfType(SQLException.class, c::commit);
            report("COMMIT cut", e);
            assertThat(e.getSQLState()).startsWith("08");
            assertThat(c.isClosed()).as("the driver gave the connection up").isTrue();
        }
        assertCommittedOnServer(marker);
        FaultProxyStats stats = proxy.stats();
        assertThat(stats.commitsSeen()).isEqualTo(8);
        assertThat(stats.commitsCut()).isEqualTo(1);
        assertThat(stats.connectionsCut(CutReason.COMMIT)).isEqualTo(1);
    }

    @Test
    void cutsOnlyTheChosenCommitAndLetsTheOthersPass() throws Exception {
        proxy.cutOnCommit(2);
        try (Connection c = connectViaProxy()) {
            c.setAutoCommit(false);
            insert(c, "first");
            c.commit();
            insert(c, "second");
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
        }
        try (Connection c = connectViaProxy()) {
            c.setAutoCommit(false);
            insert(c, "third");
            c.commit();
        }
        assertCommittedOnServer("second");
        assertThat(proxy.stats().commitsSeen()).isEqualTo(3);
        assertThat(proxy.stats().commitsCut()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ledger")).isEqualTo(3);
    }

    @Test
    void cutsEveryCommitAtFractionOneUntilStopped() throws Exception {
        proxy.cutCommits(1.0);
        for (String marker : new String[] {"x", "y"}) {
            try (Connection c = connectViaProxy()) {
                c.setAutoCommit(false);
                insert(c, marker);
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            }
            assertCommittedOnServer(marker);
        }
        proxy.stopCuttingCommits();
        try (Connection c = connectViaProxy()) {
            c.setAutoCommit(false);
            insert(c, "z");
            c.commit();
        }
        assertThat(proxy.stats().commitsCut()).isEqualTo(2);
        assertThat(proxy.stats().commitsSeen()).isEqualTo(3);
    }

    /**
     * Checks on a direct connection (not through the proxy) that the row is committed. Inserting the
     * same key blocks on the cut transaction until the server has decided its outcome, so no polling
     * is needed: a duplicate-key error means it committed.
     */
    void assertCommittedOnServer(String marker) throws Exception {
        try (Connection direct = db.connect()) {
            boundLockWait(direct);
            SQLException e = catchThrowableOfType(SQLException.class, () -> insert(direct, marker));
            assertThat((Throwable) e).as("inserting the marker again must hit the committed row").isNotNull();
            assertThat(e.getSQLState()).startsWith("23");
        }
        assertThat(count("SELECT count(*) FROM ledger WHERE marker = '" + marker + "'")).isEqualTo(1);
    }

    /** Bounds how long {@link #assertCommittedOnServer} may wait for the cut transaction's lock. */
    abstract void boundLockWait(Connection direct) throws SQLException;

    void report(String fault, SQLException e) {
        assertThat((Throwable) e).as(fault + ": the driver must report an SQLException").isNotNull();
        LOG.info("{}: driver reported {} SQLState {}: {}", fault, e.getClass().getName(), e.getSQLState(),
                e.getMessage());
    }

    static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String selectText(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void insert(Connection c, String marker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger VALUES (?)")) {
            ps.setString(1, marker);
            ps.executeUpdate();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
