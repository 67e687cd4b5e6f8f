package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.TestDatabase.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Shared steps of the chaos tests: open a database of an engine, write and count rows. */
final class ChaosDatabases {

    private ChaosDatabases() {
    }

    static TestDatabase open(Engine engine) throws Exception {
        TestDatabase db = switch (engine) {
            case POSTGRESQL -> TestDatabases.postgres();
            case MARIADB -> TestDatabases.mariadb();
            case SQLITE -> TestDatabases.sqlite();
        };
        db.execute("CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40))");
        return db;
    }

    static void insert(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, note) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, "order " + id);
            ps.executeUpdate();
        }
    }

    /** Counts rows on a fresh connection that bypasses any chaos. */
    static long count(TestDatabase db, String where) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Asserts that {@code e} was raised by the JDBC driver itself, not by the test kit. */
    static void assertDriverError(Throwable e, Engine engine) {
        String driverPackage = switch (engine) {
            case POSTGRESQL -> "org.postgresql.";
            case MARIADB -> "org.mariadb.";
            case SQLITE -> "org.sqlite.";
        };
        assertThat(e).isInstanceOf(SQLException.class);
        assertThat(e.getMessage()).doesNotContain("ChaosDataSource");
        assertThat(e.getStackTrace()[0].getClassName()).startsWith(driverPackage);
    }
}
