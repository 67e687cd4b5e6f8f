package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.TableCopy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The checkpoint table on a copy's target: one row per copy id and table with the last copied key (a
 * JSON array of canonical key texts), the rows copied and whether the table is done. Written in the
 * same transaction as each chunk.
 */
final class Checkpoints {

    /** A table's checkpoint; {@code lastKey} null before the first chunk. */
    record State(List<String> lastKey, long rows, boolean done) {
        static final State START = new State(null, 0, false);
    }

    private final SqlDialect sql;
    private final String table;

    Checkpoints(SqlDialect sql) throws SQLException {
        this.sql = sql;
        this.table = sql.quote(TableCopy.CHECKPOINT_TABLE);
    }

    void create(Connection target) throws SQLException {
        String suffix = sql.dialect() == Dialect.MYSQL ? " DEFAULT CHARSET=utf8mb4" : "";
        try (Statement s = target.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (copy_id VARCHAR(100) NOT NULL,"
                    + " table_name VARCHAR(200) NOT NULL, last_key TEXT, rows_done BIGINT NOT NULL, done INT NOT NULL,"
                    + " PRIMARY KEY (copy_id, table_name))" + suffix);
        }
    }

    State read(Connection target, String copyId, String name) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "SELECT last_key, rows_done, done FROM " + table + " WHERE copy_id = ? AND table_name = ?")) {
            ps.setString(1, copyId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return State.START;
                }
                String key = rs.getString(1);
                List<String> lastKey = key == null ? null : ((List<?>) Json.parse(key)).stream().map(String::valueOf).toList();
                return new State(lastKey, rs.getLong(2), rs.getInt(3) != 0);
            }
        }
    }

    /** Records progress inside the caller's transaction. */
    void write(Connection target, String copyId, String name, State state) throws SQLException {
        String key = state.lastKey() == null ? null : Json.write(state.lastKey()).trim();
        try (PreparedStatement update = target.prepareStatement("UPDATE " + table
                + " SET last_key = ?, rows_done = ?, done = ? WHERE copy_id = ? AND table_name = ?")) {
            update.setString(1, key);
            update.setLong(2, state.rows());
            update.setInt(3, state.done() ? 1 : 0);
            update.setString(4, copyId);
            update.setString(5, name);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = target.prepareStatement("INSERT INTO " + table
                + " (copy_id, table_name, last_key, rows_done, done) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, copyId);
            insert.setString(2, name);
            insert.setString(3, key);
            insert.setLong(4, state.rows());
            insert.setInt(5, state.done() ? 1 : 0);
            insert.executeUpdate();
        }
    }

    void delete(Connection target, String copyId) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("DELETE FROM " + table + " WHERE copy_id = ?")) {
            ps.setString(1, copyId);
            ps.executeUpdate();
        }
    }

    /** Whether {@code connection} sees the checkpoint row {@code copyId} (the self-copy probe). */
    boolean sees(Connection connection, Catalog catalog, String copyId) throws SQLException {
        if (!catalog.tables().contains(TableCopy.CHECKPOINT_TABLE)) {
            return false;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE copy_id = ?")) {
            ps.setString(1, copyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
