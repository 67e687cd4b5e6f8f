package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Adversarial review of the jdbc:bulwark: driver's credential handling and configuration errors. */
class DriverBreakIT {

    private static String canary() {
        return "canary" + UUID.randomUUID().toString().replace("-", "");
    }

    private static SQLException refused(String url, Properties info) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, info).close());
        assertThat((Object) e).as("the connection must be refused with an SQLException").isNotNull();
        return e;
    }

    @Test
    void aPasswordWithASemicolonInAQueryUrlIsMaskedWhole() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String canary = canary();
            String url = "jdbc:bulwark:postgresql://" + db.host() + ":" + db.port() + "/" + db.name()
                    + "?user=" + db.user() + "&password=se;" + canary + "&bulwark.retry.maxAttempts=abc";
            SQLException e = refused(url, new Properties());
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("bulwark.retry.maxAttempts").doesNotContain(canary);
        }
    }

    @Test
    void aUserInfoPasswordWithSlashQuestionMarkSemicolonOrNoUserIsMasked() {
        String canary = canary();
        for (String authority : new String[] {"app:pa/" + canary, "app:pa?" + canary, ":" + canary,
                "app:pa;" + canary}) {
            SQLException e = refused("jdbc:bulwark:postgresql://" + authority + "@127.0.0.1:5432/x", new Properties());
            assertThat(e.getSQLState()).as(authority).isEqualTo("08001");
            assertThat(e.getMessage()).as(authority).doesNotContain(canary);
        }
    }

    @Test
    void aSqlServerPasswordWithAnAmpersandIsMaskedWhole() {
        String canary = canary();
        SQLException e = refused("jdbc:bulwark:nosuchdb://h;user=a;password=a&" + canary + ";db=x", new Properties());
        assertThat(e.getSQLState()).isEqualTo("08001");
        assertThat(e.getMessage()).contains("nosuchdb").doesNotContain(canary);
    }

    @Test
    void secretParametersOfOtherNamesAreMaskedAsGetPropertyInfoTreatsThem() {
        String canary = canary();
        // MySQL Connector/J's multi-factor password1..3; cloud drivers' secret keys and passphrases
        for (String name : new String[] {"password1", "awsSecretAccessKey", "clientSecretValue", "privateKeyPassphrase",
                "accessTokenValue"}) {
            SQLException e = refused("jdbc:bulwark:nosuchdb://h/x?user=a&" + name + "=" + canary + "&x=1",
                    new Properties());
            assertThat(e.getSQLState()).as(name).isEqualTo("08001");
            assertThat(e.getMessage()).as(name).doesNotContain(canary);
        }
    }

    @Test
    void mariadbGetPropertyInfoNeverReturnsAPasswordGivenInTheUrl() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            String canary = canary();
            String url = "jdbc:bulwark:mariadb://" + db.host() + ":" + db.port() + "/" + db.name()
                    + "?user=" + db.user() + "&password=" + canary + "&trustStorePassword=" + canary;
            DriverPropertyInfo[] described = DriverManager.getDriver(url).getPropertyInfo(url, new Properties());
            assertThat(described).isNotEmpty();
            for (DriverPropertyInfo property : described) {
                assertThat(String.valueOf(property.value)).as(property.name).doesNotContain(canary);
                assertThat(String.valueOf(property.description)).as(property.name).doesNotContain(canary);
            }
        }
    }

    @Test
    void aNonStringSettingInThePropertiesDefaultsIsRefusedNotIgnored() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Properties defaults = new Properties();
            defaults.put("bulwark.retry.maxAttempts", 7);
            Properties info = new Properties(defaults);
            info.putAll(db.connectionProperties());
            String url = "jdbc:bulwark:" + db.jdbcUrl().substring(5) + (db.jdbcUrl().contains("?") ? "&" : "?")
                    + "ApplicationName=" + canary().substring(0, 20);
            SQLException e = refused(url, info);
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("bulwark.retry.maxAttempts");
        }
    }

    @Test
    void aPostgresServerThatDoesNotAnswerTheLoginWithinLoginTimeoutIsNotAConfigurationError() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            proxy.blackhole(true);
            String url = "jdbc:bulwark:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + db.name()
                    + "?loginTimeout=1&ApplicationName=" + canary().substring(0, 20) + "&bulwark.retry.maxAttempts=2";
            SQLException e = refused(url, db.connectionProperties());
            assertThat(e.getClass().getSimpleName()).isNotEqualTo("TargetConfigurationException");
            assertThat(e.getMessage()).doesNotContain("refused the connection settings");
            proxy.blackhole(false);
        }
    }

    @Test
    void mariadbServerThatDoesNotAnswerTheLoginIsNotAConfigurationError() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb(); FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            proxy.blackhole(true);
            String url = "jdbc:bulwark:mariadb://" + proxy.host() + ":" + proxy.port() + "/" + db.name()
                    + "?connectTimeout=1000&bulwark.retry.maxAttempts=2&bulwark.name=" + canary().substring(0, 20);
            SQLException e = refused(url, db.connectionProperties());
            assertThat(e.getClass().getSimpleName()).isNotEqualTo("TargetConfigurationException");
            assertThat(e.getMessage()).doesNotContain("refused the connection settings");
            proxy.blackhole(false);
        }
    }

    /**
     * A server with no connection slot left (MariaDB 1040 "Too many connections", SQLState 08004) on a target's
     * first connection: the server's condition, not the configuration's. A scratch mariadbd with max_connections=1.
     */
    @Test
    void aMariadbServerWithNoConnectionSlotLeftIsNotAConfigurationError() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bulwark-mdb");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run("chown", "mysql:mysql", dir.toString());
        run("runuser", "-u", "mysql", "--", "mariadb-install-db", "--no-defaults", "--datadir=" + dir + "/data",
                "--skip-test-db");
        Process server = new ProcessBuilder("runuser", "-u", "mysql", "--", "/usr/sbin/mariadbd", "--no-defaults",
                "--datadir=" + dir + "/data", "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir + "/s.sock",
                "--pid-file=" + dir + "/pid", "--max-connections=1", "--skip-grant-tables")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            String plain = "jdbc:mariadb://127.0.0.1:" + port + "/mysql?user=root";
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                try (java.sql.Connection probe = DriverManager.getConnection(plain)) {
                    break;
                } catch (SQLException notYet) {
                    assertThat(System.nanoTime() - deadline).as("scratch mariadbd start").isNegative();
                    Thread.sleep(200);
                }
            }
            // max_connections=1, plus what MariaDB keeps for privileged users: take slots until the server refuses.
            java.util.List<java.sql.Connection> held = new java.util.ArrayList<>();
            try {
                SQLException full = null;
                for (int i = 0; i < 20 && full == null; i++) {
                    try {
                        held.add(DriverManager.getConnection(plain));
                    } catch (SQLException e) {
                        full = e;
                    }
                }
                assertThat((Throwable) full).as("the scratch server refuses at last").isNotNull()
                        .hasStackTraceContaining("Too many connections");
                SQLException e = refused("jdbc:bulwark:mariadb://127.0.0.1:" + port + "/mysql?user=root"
                        + "&bulwark.retry.maxAttempts=2", new Properties());
                assertThat((Throwable) e).hasStackTraceContaining("Too many connections");
                assertThat(e.getClass().getSimpleName()).isNotEqualTo("TargetConfigurationException");
                assertThat(e.getMessage()).doesNotContain("refused the connection settings");
            } finally {
                for (java.sql.Connection c : held) {
                    c.close();
                }
            }
        } finally {
            java.nio.file.Path pid = dir.resolve("pid");
            if (java.nio.file.Files.exists(pid)) {
                run("kill", java.nio.file.Files.readString(pid).trim());
            }
            server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            server.destroyForcibly();
            run("rm", "-rf", dir.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
