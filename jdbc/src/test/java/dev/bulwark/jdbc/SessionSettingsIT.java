package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Bulwark sets on a pooled connection (statement timeout, network timeout) never reaches code that
 * borrows from the same pool directly (Flyway, a health check, a second library).
 */
class SessionSettingsIT {

    interface DbFactory {
        TestDatabase open() throws Exception;
    }

    static Stream<DbFactory> servers() {
        return Stream.of(TestDatabases::postgres, TestDatabases::mariadb);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void codeBorrowingFromTheSamePoolDoesNotInheritBulwarksTimeouts(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open()) {
            boolean postgres = db.engine() == TestDatabase.Engine.POSTGRESQL;
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrl());
            if (db.user() != null) {
                c.setUsername(db.user());
                c.setPassword(db.password());
            }
            c.setMaximumPoolSize(1);
            c.setPoolName("shared");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                String statementTimeout;
                int networkTimeout;
                try (Connection direct = pool.getConnection()) {
                    statementTimeout = postgres ? show(direct, "statement_timeout") : null;
                    networkTimeout = direct.getNetworkTimeout();
                }
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("shared").build());
                ds.inTransaction(TransactionOptions.builder().withDeadline(Duration.ofSeconds(5)).build(),
                        conn -> select(conn));
                ds.inAutoCommit(TransactionOptions.defaults(), conn -> select(conn));
                // Last, so that no unit's reset (HikariCP restores what was set through its proxy) can hide a leak.
                try (Connection conn = ds.getConnection(); Statement s = conn.createStatement()) {
                    s.execute("SELECT 1");
                }
                try (Connection direct = pool.getConnection()) {
                    if (postgres) {
                        assertThat(show(direct, "statement_timeout")).as("statement_timeout of a direct borrower")
                                .isEqualTo(statementTimeout);
                    }
                    assertThat(direct.getNetworkTimeout()).as("network timeout of a direct borrower")
                            .isEqualTo(networkTimeout);
                }
            }
        }
    }

    private static String select(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
