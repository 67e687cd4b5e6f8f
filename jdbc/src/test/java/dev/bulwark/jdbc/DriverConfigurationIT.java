package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A wrong URL or setting given to the {@code jdbc:bulwark:} driver is a configuration error: an
 * {@link SQLException} with SQLState 08001 naming the key and where it came from, never an unchecked exception,
 * never retried and never counted by a breaker. Against the shared PostgreSQL server.
 */
class DriverConfigurationIT {

    private static String bulwarkUrl(TestDatabase db, String query) {
        String url = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
        return query.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + query;
    }

    private static String unique() {
        return "cfg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What the caller gets: must be an SQLException (an unchecked one fails the test here). */
    private static SQLException refused(String url, Properties info) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, info).close());
        assertThat((Object) e).as("the connection must be refused with an SQLException").isNotNull();
        return e;
    }

    private static Properties props(TestDatabase db, String... keyValues) {
        Properties p = db.connectionProperties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void malformedPercentEncodingIs08001NamingTheSetting() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            SQLException e = refused(bulwarkUrl(db, "bulwark.name=%zz"), db.connectionProperties());
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("bulwark.name").contains("URL");
        }
    }

    @Test
    void aSettingInAnotherLetterCaseIsRefusedNotPassedToTheRealDriver() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            SQLException e = refused(bulwarkUrl(db, "Bulwark.retry.maxAttempts=abc"), db.connectionProperties());
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("Bulwark.retry.maxAttempts").contains("the URL")
                    .contains("did you mean bulwark.retry.maxAttempts");
        }
    }

    @Test
    void aNonStringSettingInThePropertiesIsRefused() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Properties info = db.connectionProperties();
            info.put("bulwark.timeout.network", 9);
            SQLException e = refused(bulwarkUrl(db, ""), info);
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("bulwark.timeout.network").contains("connection Properties");
        }
    }

    @Test
    void blanksAroundAValueAndDigitsOfOtherScriptsAreRefused() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            SQLException blank = refused(bulwarkUrl(db, "ApplicationName=" + unique()),
                    props(db, "bulwark.retry.maxAttempts", "5 "));
            assertThat(blank.getSQLState()).isEqualTo("08001");
            assertThat(blank.getMessage()).contains("bulwark.retry.maxAttempts").contains("connection Properties");
            SQLException arabicIndic = refused(bulwarkUrl(db, "ApplicationName=" + unique()),
                    props(db, "bulwark.retry.maxAttempts", "\u0665"));
            assertThat(arabicIndic.getSQLState()).isEqualTo("08001");
            assertThat(arabicIndic.getMessage()).contains("digits 0-9");
        }
    }

    @Test
    void aBulwarkUrlInsideABulwarkUrlIs08001AndOpensNoSession() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String app = unique();
            String nested = "jdbc:bulwark:bulwark:" + db.jdbcUrl().substring("jdbc:".length())
                    + (db.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + app;
            SQLException e = refused(nested, db.connectionProperties());
            assertThat(e.getSQLState()).isEqualTo("08001");
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                         + app + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("sessions left open by the refused URL").isZero();
            }
        }
    }

    @Test
    void anUnknownSubProtocolIsAConfigurationErrorNeverRetriedOrCounted() {
        String url = "jdbc:bulwark:nosuchdb://127.0.0.1:5432/" + unique();
        for (int i = 0; i < 30; i++) {
            SQLException e = refused(url, new Properties());
            assertThat(e.getSQLState()).as("attempt %d", i).isEqualTo("08001");
            // Not "circuit open" after a few calls (never counted), nor earlier attempts attached (never retried).
            assertThat(e.getMessage()).as("attempt %d", i).contains("no JDBC driver").contains("nosuchdb");
            assertThat(e.getSuppressed()).isEmpty();
        }
    }

    @Test
    void aParameterTheRealDriverRefusesIsAConfigurationErrorNeverRetriedOrCounted() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String url = bulwarkUrl(db, "sslmode=bogus&ApplicationName=" + unique());
            for (int i = 0; i < 30; i++) {
                SQLException e = refused(url, db.connectionProperties());
                assertThat(e.getSQLState()).as("attempt %d", i).isEqualTo("08001");
                assertThat(e.getMessage()).as("attempt %d: the driver's reason", i).contains("sslmode");
                assertThat(e.getSuppressed()).as("attempt %d: not retried", i).isEmpty();
            }
        }
        try (TestDatabase db = TestDatabases.mariadb()) {
            String url = bulwarkUrl(db, "connectTimeout=soon&ApplicationName=" + unique());
            for (int i = 0; i < 30; i++) {
                SQLException e = refused(url, db.connectionProperties());
                assertThat(e.getMessage()).as("attempt %d: the driver's reason", i).contains("connectTimeout");
                assertThat(e.getSuppressed()).as("attempt %d: not retried", i).isEmpty();
            }
        }
    }

    @Test
    void systemPropertiesApplyToTheDriverAsToBulwarkConfigLoad() throws Exception {
        String key = "bulwark.timeout.network";
        try (TestDatabase db = TestDatabases.postgres()) {
            System.setProperty(key, "9s");
            try (Connection c = DriverManager.getConnection(bulwarkUrl(db, "ApplicationName=" + unique()),
                    db.connectionProperties())) {
                assertThat(c.getNetworkTimeout()).isEqualTo(9_000);
            } finally {
                System.clearProperty(key);
            }
        }
    }

    @Test
    void aPasswordInTheUrlNeverAppearsInTheDriversMessages() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String canary = "canary" + UUID.randomUUID().toString().replace("-", "");
            String withAt = "p@ss@" + canary;
            java.util.List<SQLException> failures = java.util.List.of(
                    // the real driver refuses a parameter: its reason is shown, the URL masked
                    refused(bulwarkUrl(db, "sslmode=bogus&password=" + canary), db.connectionProperties()),
                    refused("jdbc:bulwark:nosuchdb://app:" + withAt + "@127.0.0.1/x", new Properties()),
                    refused("jdbc:bulwark:nosuchdb://h;user=a;password={" + canary + ";" + canary + "};db=x",
                            new Properties()),
                    refused("jdbc:bulwark:oracle:thin:scott/" + withAt + "@//127.0.0.1:1/x", new Properties()),
                    refused("jdbc:bulwark:bulwark:postgresql://app:" + withAt + "@127.0.0.1/x", new Properties()),
                    refused(bulwarkUrl(db, "password=" + canary + "&bulwark.name=%zz"), db.connectionProperties()));
            for (SQLException e : failures) {
                assertThat(e.getSQLState()).isEqualTo("08001");
                assertThat(e.getMessage()).doesNotContain(canary).contains("***");
                assertThat(e.toString()).doesNotContain(canary);
            }
        }
    }

    @Test
    void getPropertyInfoNeverReturnsThePassword() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String canary = "canary-" + UUID.randomUUID();
            Properties info = props(db, "password", canary, "sslpassword", canary);
            DriverPropertyInfo[] described = DriverManager.getDriver(bulwarkUrl(db, "")).getPropertyInfo(
                    bulwarkUrl(db, ""), info);
            assertThat(described).isNotEmpty();
            for (DriverPropertyInfo property : described) {
                assertThat(property.value).as(property.name).isNotEqualTo(canary);
            }
        }
    }
}
