package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names longer than the target keeps are refused before anything is written, even with continue-on-error. */
class IdentifierLimitIT {

    private static final String LONG_TABLE = "t_" + "x".repeat(68); // 70 bytes: PostgreSQL keeps 63, MariaDB allows 64

    private static int tableCount(TestDatabase db) throws SQLException {
        int n = 0;
        try (Connection c = db.connect();
             ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aTableNameLongerThanPostgresKeepsIsRefusedBeforeAnythingIsWritten() throws Exception {
        try (TestDatabase lite = TestDatabases.sqlite(); TestDatabase pg = TestDatabases.postgres()) {
            lite.execute("CREATE TABLE short_one (id INT PRIMARY KEY)", "INSERT INTO short_one VALUES (1)",
                    "CREATE TABLE " + LONG_TABLE + " (id INT PRIMARY KEY)", "INSERT INTO " + LONG_TABLE + " VALUES (1)");
            assertThatThrownBy(() -> TableCopy.builder(lite.dataSource(), pg.dataSource()).withContinueOnError(true)
                    .build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining(LONG_TABLE)
                    .hasMessageContaining("63 bytes")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.NAME_TOO_LONG));
            assertThat(tableCount(pg)).as("no table, not even the checkpoint table, was created").isZero();
        }
    }

    @Test
    void aColumnNameLongerThanMariaDbAllowsIsRefusedBeforeAnythingIsWritten() throws Exception {
        try (TestDatabase lite = TestDatabases.sqlite(); TestDatabase maria = TestDatabases.mariadb()) {
            String column = "c".repeat(65);
            lite.execute("CREATE TABLE a (id INT PRIMARY KEY)", "INSERT INTO a VALUES (1)",
                    "CREATE TABLE b (id INT PRIMARY KEY, " + column + " INT)", "INSERT INTO b VALUES (1, 2)");
            assertThatThrownBy(() -> TableCopy.builder(lite.dataSource(), maria.dataSource()).withContinueOnError(true)
                    .build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining(column).hasMessageContaining("64 characters");
            assertThat(tableCount(maria)).isZero();
        }
    }
}
