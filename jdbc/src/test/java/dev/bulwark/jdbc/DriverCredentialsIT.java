package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code jdbc:bulwark:} driver never lets one caller's credentials or connection properties stand in for
 * another's: every connection is opened with the password and properties its caller gave. PostgreSQL runs in
 * a scratch cluster with scram-sha-256 over TCP (the shared server trusts 127.0.0.1, where any password
 * works); MariaDB gets a user with a password of its own.
 */
class DriverCredentialsIT {

    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.builder().withPassword("superuser-" + UUID.randomUUID()).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A new login role with its own password, so each test starts with targets no other test has used. */
    private static String pgRole(String password) throws SQLException {
        String role = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        }
        return role;
    }

    private static String pgUrl() {
        return "jdbc:bulwark:" + cluster.jdbcUrl().substring("jdbc:".length());
    }

    private static Properties login(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static SQLException refused(String url, Properties info) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, info).close());
        assertThat((Object) e).as("the connection must be refused").isNotNull();
        return e;
    }

    @Test
    void aWrongPasswordIsRefusedAfterTheRightOneConnectedOnPostgres() throws Exception {
        String role = pgRole("right-pw");
        try (Connection c = DriverManager.getConnection(pgUrl(), login(role, "right-pw"))) {
            assertThat(one(c, "SELECT current_user")).isEqualTo(role);
        }
        SQLException wrong = refused(pgUrl(), login(role, "wrong-pw"));
        assertThat(wrong.getSQLState()).isEqualTo("28P01");
        SQLException none = refused(pgUrl(), login(role, null));
        assertThat((Throwable) none).hasRootCauseMessage("The server requested SCRAM-based authentication, but no password "
                + "was provided.");
    }

    @Test
    void theRightPasswordConnectsAfterAWrongOneOnPostgres() throws Exception {
        String role = pgRole("right-pw");
        for (int i = 0; i < 25; i++) {
            // Authentication failures are PERMISSION: never retried, never counted by a breaker, so a typo in
            // one caller cannot open a circuit that then refuses the right password.
            SQLException wrong = refused(pgUrl(), login(role, "typo-" + (i % 2)));
            assertThat(wrong.getSQLState()).as("attempt %d", i).isEqualTo("28P01");
        }
        try (Connection c = DriverManager.getConnection(pgUrl(), login(role, "right-pw"))) {
            assertThat(one(c, "SELECT current_user")).isEqualTo(role);
        }
    }

    @Test
    void eachCallersConnectionPropertiesReachTheServer() throws Exception {
        String role = pgRole("pw");
        for (String app : new String[] {"first-app", "second-app"}) {
            Properties info = login(role, "pw");
            info.setProperty("ApplicationName", app);
            try (Connection c = DriverManager.getConnection(pgUrl(), info)) {
                assertThat(one(c, "SHOW application_name")).isEqualTo(app);
            }
        }
    }

    @Test
    void distinctTargetsAreBounded() throws Exception {
        String role = pgRole("pw");
        BulwarkDriver driver = (BulwarkDriver) DriverManager.getDriver(pgUrl());
        for (int i = 0; i < BulwarkDriver.MAX_TARGETS + 20; i++) {
            // Distinct URLs: each is a target of its own.
            String url = pgUrl() + "?ApplicationName=bounded-" + i;
            try (Connection c = DriverManager.getConnection(url, login(role, "pw"))) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
        assertThat(driver.targetCount()).isLessThanOrEqualTo(BulwarkDriver.MAX_TARGETS);
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneAcceptedInAnyOrderOnMariaDb() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            String user = "u_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            db.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-pw'",
                    "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'right-pw'",
                    "GRANT ALL ON " + db.name() + ".* TO '" + user + "'@'%'",
                    "GRANT ALL ON " + db.name() + ".* TO '" + user + "'@'localhost'");
            try {
                String url = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
                SQLException first = refused(url, login(user, "wrong-pw"));
                assertThat(first.getErrorCode()).isEqualTo(1045);
                try (Connection c = DriverManager.getConnection(url, login(user, "right-pw"))) {
                    assertThat(one(c, "SELECT current_user()")).startsWith(user + "@");
                }
                SQLException again = refused(url, login(user, "wrong-pw"));
                assertThat(again.getErrorCode()).isEqualTo(1045);
                assertThat(refused(url, login(user, null)).getErrorCode()).isEqualTo(1045);
            } finally {
                db.execute("DROP USER IF EXISTS '" + user + "'@'%'", "DROP USER IF EXISTS '" + user + "'@'localhost'");
            }
        }
    }
}
