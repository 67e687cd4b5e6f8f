package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestDatabasesIT {

    @Test
    void postgresSchemaIsPrivateToTheTestAndDroppedOnClose() throws Exception {
        String schema;
        try (TestDatabase a = TestDatabases.postgres(); TestDatabase b = TestDatabases.postgres()) {
            schema = a.name();
            assertThat(a.name()).isNotEqualTo(b.name());
            a.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            b.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            assertThat(count(a, "SELECT count(*) FROM t")).isEqualTo(1);
            assertThat(count(b, "SELECT count(*) FROM t")).isZero();
            try (Connection c = a.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(schema);
            }
        }
        try (TestDatabase other = TestDatabases.postgres()) {
            assertThat(count(other, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                    + schema + "'")).isZero();
        }
    }

    @Test
    void mariadbDatabaseIsPrivateToTheTestAndDroppedOnClose() throws Exception {
        String name;
        try (TestDatabase db = TestDatabases.mariadb()) {
            name = db.name();
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)");
            assertThat(count(db, "SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(count(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"))
                    .isEqualTo(1);
        }
        try (TestDatabase other = TestDatabases.mariadb()) {
            assertThat(count(other, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                    + name + "'")).isZero();
        }
    }

    @Test
    void sqliteFileIsDeletedWithItsWalOnClose() throws Exception {
        Path file;
        try (TestDatabase db = TestDatabases.sqlite()) {
            file = Path.of(JdbcAddress.parse(db.jdbcUrl()).database());
            db.execute("PRAGMA journal_mode=WAL", "CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (7)");
            assertThat(count(db, "SELECT count(*) FROM t")).isEqualTo(1);
            assertThat(file).exists();
        }
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(file.getParent())).isFalse();
    }

    @Test
    void urlViaProxyKeepsTheReservedSchema() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String via = db.jdbcUrlVia("127.0.0.2", 6543);
            assertThat(via).startsWith("jdbc:postgresql://127.0.0.2:6543/").contains("currentSchema=" + db.name());
            assertThat(db.port()).isPositive();
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
