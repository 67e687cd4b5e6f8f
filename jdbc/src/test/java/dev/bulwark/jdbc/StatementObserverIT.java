package dev.bulwark.jdbc;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementObserverIT {

    @Test
    void observersSeeEveryStatementBeforeItRunsAndARefusedStatementIsNotRun() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            List<String> seen = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource())
                    .withStatementObserver((connection, sql) -> seen.add(sql))
                    .withStatementObserver((connection, sql) -> {
                        if (sql != null && sql.startsWith("DELETE")) {
                            throw new SQLException("refused: " + sql, "42602");
                        }
                    })
                    .build();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (2)");
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM t"))
                        .isInstanceOf(SQLException.class).hasMessage("refused: DELETE FROM t")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42602");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                    ps.setInt(1, 3);
                    ps.addBatch();
                    ps.executeBatch();
                }
                s.addBatch("INSERT INTO t VALUES (4)");
                s.executeBatch();
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the refused DELETE did not run").isEqualTo(4);
                }
            }
            assertThat(seen).containsExactly("INSERT INTO t VALUES (2)", "DELETE FROM t", "INSERT INTO t VALUES (?)",
                    null, "SELECT count(*) FROM t");
        }
    }

    @Test
    void observersGetTheConnectionInsideTheUnitsTransaction() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            List<Long> countsSeen = new CopyOnWriteArrayList<>();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource())
                    .withStatementObserver((connection, sql) -> {
                        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                            rs.next();
                            countsSeen.add(rs.getLong(1));
                        }
                    })
                    .build();
            ds.inTransaction(TransactionOptions.defaults(), c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t VALUES (1)");
                    s.executeUpdate("INSERT INTO t VALUES (2)");
                }
                return null;
            });
            assertThat(countsSeen).as("the observer reads the unit's own uncommitted rows").containsExactly(0L, 1L);
        }
    }
}
