package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8: the {@code jdbc:bulwark:} driver gives plain JDBC tools Bulwark by changing only the URL.
 * {@link DriverManager}, a HikariCP pool and Flyway each use it against the shared PostgreSQL server.
 */
class DriverIT {

    /** {@code jdbc:postgresql://...} becomes {@code jdbc:bulwark:postgresql://...}. */
    private static String bulwarkUrl(TestDatabase db) {
        return "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
    }

    private static String withSetting(String url, String setting) {
        return url + (url.contains("?") ? "&" : "?") + setting;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HikariDataSource pool(String url, TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        config.setPoolName("driver-it");
        return new HikariDataSource(config);
    }

    @Test
    void driverManagerConnectsThroughTheServiceLoadedDriver() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            // No Class.forName and no reference to BulwarkDriver: only META-INF/services registers it.
            try (Connection c = DriverManager.getConnection(bulwarkUrl(db), db.connectionProperties())) {
                assertThat(count(c, "SELECT 41 + 1")).isEqualTo(42);
                assertThat(DriverManager.getDriver(bulwarkUrl(db)).getClass().getName())
                        .isEqualTo("dev.bulwark.jdbc.BulwarkDriver");
            }
        }
    }

    @Test
    void bulwarkSettingsInTheUrlAreAppliedAndNotPassedToTheRealDriver() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String url = withSetting(bulwarkUrl(db), "bulwark.timeout.network=7s&bulwark.name=driver-it");
            try (Connection c = DriverManager.getConnection(url, db.connectionProperties())) {
                assertThat(c.getNetworkTimeout()).as("bulwark.timeout.network applied").isEqualTo(7_000);
                assertThat(c.getMetaData().getURL()).as("the URL pgjdbc saw")
                        .startsWith("jdbc:postgresql:").doesNotContain("bulwark");
            }
        }
    }

    @Test
    void aBadSettingFailsWith08001NamingIt() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String url = withSetting(bulwarkUrl(db), "bulwark.retry.maxAttempts=zero");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> DriverManager.getConnection(url, db.connectionProperties()));
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("bulwark.retry.maxAttempts").contains("zero");
            String misspelt = withSetting(bulwarkUrl(db), "bulwark.retry.maxAttempt=3");
            SQLException unknown = catchThrowableOfType(SQLException.class,
                    () -> DriverManager.getConnection(misspelt, db.connectionProperties()));
            assertThat(unknown.getSQLState()).isEqualTo("08001");
            assertThat(unknown.getMessage()).contains("bulwark.retry.maxAttempt").contains("bulwark.retry.maxAttempts");
        }
    }

    @Test
    void hikariPoolWorksWithTheBulwarkUrl() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            try (HikariDataSource pool = pool(bulwarkUrl(db), db)) {
                for (int i = 0; i < 20; i++) {
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                        s.executeUpdate("INSERT INTO t VALUES (" + i + ")");
                    }
                }
                try (Connection c = pool.getConnection()) {
                    assertThat(count(c, "SELECT count(*) FROM t")).isEqualTo(20);
                }
                assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isBetween(1, 2);
            }
        }
    }

    @Test
    void flywayMigratesThroughTheBulwarkUrl(@TempDir Path migrations) throws Exception {
        Files.writeString(migrations.resolve("V1__orders.sql"),
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, item TEXT NOT NULL);\n");
        Files.writeString(migrations.resolve("V2__order_count.sql"),
                "INSERT INTO orders VALUES (1, 'first'), (2, 'second');\n");
        // Flyway accepts only URLs of databases it has a plugin for (jdbc:bulwark: is not one, as
        // jdbc:p6spy: was not): it is given a DataSource whose connections come from the bulwark URL.
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(bulwarkUrl(db), db)) {
            MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .schemas(db.name())
                    .locations("filesystem:" + migrations)
                    .load()
                    .migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isEqualTo(2);
            try (Connection c = db.connect()) {
                assertThat(count(c, "SELECT count(*) FROM " + db.name() + ".orders")).isEqualTo(2);
            }
            try (Connection c = pool.getConnection()) {
                assertThat(c.getMetaData().getURL()).as("Flyway's connections came through Bulwark")
                        .startsWith("jdbc:postgresql:");
                assertThat(c.getClass().getName()).startsWith("com.zaxxer.hikari");
                assertThat(c.isWrapperFor(Class.forName("dev.bulwark.jdbc.internal.wrapper.ConnectionWrapper"))).isTrue();
            }
        }
    }
}
