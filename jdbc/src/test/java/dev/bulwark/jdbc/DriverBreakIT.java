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
}
