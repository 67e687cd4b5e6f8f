package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresClusterIT {

    private static final String PASSWORD = "right-horse-battery";

    /** One password-protected server for the single-node tests, each of which leaves it running. */
    private static PostgresCluster single;

    private final List<PostgresCluster> used = new ArrayList<>();

    @BeforeAll
    static void startSingleNode() {
        single = PostgresCluster.builder().withPassword(PASSWORD).start();
    }

    @BeforeEach
    void singleNodeIsUp() {
        single.thaw(); // both do nothing unless an earlier failed test left it frozen or down
        single.start();
    }

    @AfterEach
    void leavesNoServerBehind() {
        used.forEach(PostgresClusterIT::assertClosesWithoutTrace);
    }

    @AfterAll
    static void stopSingleNode() {
        if (single != null) {
            assertClosesWithoutTrace(single);
        }
    }

    @Test
    void crashedClusterStartsAgainOnTheSamePortWithCommittedWrites() throws Exception {
        PostgresCluster db = single;
        int port = db.port();
        execute(db, "CREATE TABLE crash_test (id INT PRIMARY KEY)", "INSERT INTO crash_test VALUES (1)");

        db.crash();
        assertThat(db.isRunning()).isFalse();
        assertThatThrownBy(db::connect).isInstanceOf(SQLException.class);

        db.start();
        assertThat(db.port()).isEqualTo(port);
        assertThat(count(db, "crash_test")).isEqualTo(1);
    }

    @Test
    void wrongPasswordIsRejectedWithSqlState28P01() throws Exception {
        PostgresCluster db = single;
        assertThat(queryLong(db.jdbcUrl(), db.connectionProperties(), "SELECT 1")).isEqualTo(1);

        Properties wrong = new Properties();
        wrong.setProperty("user", db.user());
        wrong.setProperty("password", "wrong-horse");
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), wrong))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThat(db.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void failedStartNamesTheCommandAndTheServerLogButNotThePasswordAndLeavesNothingBehind() {
        PostgresClusterBuilder broken = PostgresCluster.builder().withPassword("do-not-print-me")
                .withSetting("shared_buffers", "lots");
        ClusterCommandException failure = catchThrowableOfType(ClusterCommandException.class, broken::start);

        assertThat(failure.command()).startsWith("pg_ctl -D ").endsWith(" start");
        assertThat(failure.exitCode()).isPositive();
        assertThat(failure.serverLogTail()).contains("shared_buffers");
        assertThat(failure.getMessage()).contains("pg_ctl", "exited with code", "shared_buffers")
                .doesNotContain("do-not-print-me");
        Path dataDirectory = Path.of(failure.command().split(" ")[2]);
        assertThat(dataDirectory.getFileName()).hasToString("data");
        assertThat(Files.exists(dataDirectory.getParent())).as("directory of the failed cluster deleted").isFalse();
    }

    @Test
    void frozenServerTimesOutQueriesAndThawedServerServesNewConnections() throws Exception {
        PostgresCluster db = single;
        Properties props = db.connectionProperties();
        props.setProperty("socketTimeout", "1");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), props); Statement s = c.createStatement()) {
            db.freeze();
            assertThat(db.isFrozen()).isTrue();
            assertThatThrownBy(db::terminateSessions).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frozen");
            assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);
        }
        db.thaw();
        assertThat(db.isFrozen()).isFalse();
        assertThat(queryLong(db.jdbcUrl(), props, "SELECT 1")).isEqualTo(1);
    }

    @Test
    void terminatedSessionsSeeSqlState57P01() throws Exception {
        PostgresCluster db = single;
        Properties props = db.connectionProperties();
        props.setProperty("ApplicationName", "victim");
        try (Connection victim = DriverManager.getConnection(db.jdbcUrl(), props);
             Connection bystander = db.connect(); Statement s = victim.createStatement()) {
            s.execute("SELECT 1");
            assertThat(db.terminateSessions("victim")).isEqualTo(1);
            assertThatThrownBy(() -> s.execute("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57P01"));
            assertThat(bystander.isValid(5)).as("a session with another application name").isTrue();
            assertThat(db.terminateSessions()).isGreaterThanOrEqualTo(1);
            assertThat(bystander.isValid(5)).isFalse();
        }
        assertThat(db.terminateSessions("victim")).isZero();
    }

    @Test
    void standbyStreamsRowsAndBecomesWritableWhenPromoted() throws Exception {
        PostgresCluster primary = track(PostgresCluster.builder().start());
        execute(primary, "CREATE TABLE t (id INT PRIMARY KEY)");
        PostgresCluster standby = track(primary.createStandby());
        assertThat(standby.port()).isNotEqualTo(primary.port());
        assertThat(standby.isStandby()).isTrue();

        execute(primary, "INSERT INTO t VALUES (1)");
        standby.awaitCaughtUp();
        assertThat(count(standby, "t")).isEqualTo(1);
        assertThatThrownBy(() -> execute(standby, "INSERT INTO t VALUES (2)"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));

        standby.promote();
        assertThat(standby.isStandby()).isFalse();
        execute(standby, "INSERT INTO t VALUES (2)");
        assertThat(count(standby, "t")).isEqualTo(2);
    }

    @Test
    void synchronousStandbyHasEveryRowAsSoonAsCommitReturns() throws Exception {
        PostgresCluster primary = track(PostgresCluster.builder().withSynchronousStandby(true).start());
        execute(primary, "CREATE TABLE t (id INT PRIMARY KEY)");
        PostgresCluster standby = track(primary.createStandby());
        try (Connection c = primary.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sync_state FROM pg_stat_replication")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("sync");
        }
        try (Connection onPrimary = primary.connect(); Connection onStandby = standby.connect();
             Statement write = onPrimary.createStatement(); Statement read = onStandby.createStatement()) {
            for (int id = 1; id <= 20; id++) {
                write.executeUpdate("INSERT INTO t VALUES (" + id + ")");
                try (ResultSet rs = read.executeQuery("SELECT count(*) FROM t WHERE id = " + id)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("row %d on the standby right after commit", id).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void multiHostUrlFindsThePromotedStandbyAfterThePrimaryCrashed() throws Exception {
        PostgresCluster primary = track(PostgresCluster.builder().withPassword("pw-multi").start());
        PostgresCluster standby = track(primary.createStandby());
        String url = PostgresCluster.multiHostJdbcUrl(primary, standby);
        assertThat(url).isEqualTo("jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                + "/postgres?targetServerType=primary");
        Properties props = primary.connectionProperties();
        assertThat(queryLong(url, props, "SELECT inet_server_port()")).isEqualTo(primary.port());

        primary.crash();
        standby.promote();

        assertThat(queryLong(url, props, "SELECT inet_server_port()")).isEqualTo(standby.port());
        assertThat(queryLong(url, props, "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END")).isZero();

        primary.rewindAsStandbyOf(standby); // straight from the crash: pg_rewind recovers it first
        assertThat(primary.isRunning()).isTrue();
        assertThat(queryLong(url, props, "SELECT inet_server_port()")).as("the first host is a standby now")
                .isEqualTo(standby.port());
    }

    @Test
    void rewoundOldPrimaryDropsItsDivergentWritesAndStreamsFromTheNewPrimary() throws Exception {
        PostgresCluster oldPrimary = track(PostgresCluster.builder().start());
        execute(oldPrimary, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        PostgresCluster newPrimary = track(oldPrimary.createStandby());
        newPrimary.awaitCaughtUp();

        oldPrimary.crash();
        newPrimary.promote();
        execute(newPrimary, "INSERT INTO t VALUES (2)");
        oldPrimary.start(); // split brain: the old primary takes a write the new one never sees
        execute(oldPrimary, "INSERT INTO t VALUES (99)");

        oldPrimary.rewindAsStandbyOf(newPrimary);
        execute(newPrimary, "INSERT INTO t VALUES (3)");
        oldPrimary.awaitCaughtUp();

        assertThat(oldPrimary.isStandby()).isTrue();
        assertThat(queryLong(oldPrimary.jdbcUrl(), oldPrimary.connectionProperties(),
                "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END")).isEqualTo(1);
        assertThat(queryString(oldPrimary.jdbcUrl(), oldPrimary.connectionProperties(),
                "SELECT string_agg(id::text, ',' ORDER BY id) FROM t")).isEqualTo("1,2,3");
    }

    private static void assertClosesWithoutTrace(PostgresCluster cluster) {
        cluster.close();
        String base = cluster.dataDirectory().getParent().toString();
        List<String> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(base)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
        assertThat(leftovers).as("processes still using %s", base).isEmpty();
        assertThat(listening(cluster.port())).as("something still listens on port %d", cluster.port()).isFalse();
        assertThat(Files.exists(Path.of(base))).as("directory %s deleted", base).isFalse();
    }

    private PostgresCluster track(PostgresCluster cluster) {
        used.add(cluster);
        return cluster;
    }

    private static void execute(PostgresCluster db, String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    private static long count(PostgresCluster db, String table) throws SQLException {
        return queryLong(db.jdbcUrl(), db.connectionProperties(), "SELECT count(*) FROM " + table);
    }

    private static long queryLong(String url, Properties props, String sql) throws SQLException {
        return Long.parseLong(queryString(url, props, sql));
    }

    private static String queryString(String url, Properties props, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true; // a timeout means something holds the port without answering
        }
    }
}
