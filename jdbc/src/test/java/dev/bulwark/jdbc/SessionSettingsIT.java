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
import org.junit.jupiter.api.Test;

/**
 * What Bulwark sets on a pooled connection (statement timeout, network timeout) never reaches code that
 * borrows from the same pool directly (Flyway, a health check, a second library).
 */
class SessionSettingsIT {

    @Test
    void codeBorrowingFromTheSamePoolDoesNotInheritBulwarksTimeouts() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrl());
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setMaximumPoolSize(1);
            c.setPoolName("shared");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                String statementTimeout;
                int networkTimeout;
                try (Connection direct = pool.getConnection()) {
                    statementTimeout = show(direct, "statement_timeout");
                    networkTimeout = direct.getNetworkTimeout();
                }
                BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("shared").build());
                try (Connection conn = ds.getConnection(); Statement s = conn.createStatement()) {
                    s.execute("SELECT 1");
                }
                ds.inTransaction(TransactionOptions.builder().withDeadline(Duration.ofSeconds(5)).build(),
                        conn -> show(conn, "server_version"));
                ds.inAutoCommit(TransactionOptions.defaults(), conn -> show(conn, "server_version"));
                try (Connection direct = pool.getConnection()) {
                    assertThat(show(direct, "statement_timeout")).as("statement_timeout of a direct borrower")
                            .isEqualTo(statementTimeout);
                    assertThat(direct.getNetworkTimeout()).as("network timeout of a direct borrower")
                            .isEqualTo(networkTimeout);
                }
            }
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
