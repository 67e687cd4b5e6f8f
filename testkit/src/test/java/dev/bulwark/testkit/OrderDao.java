package dev.bulwark.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The plain JDBC DAO of docs/testkit.md: what a user tests under faults. Kept in sync with the doc. */
public final class OrderDao {

    private final DataSource dataSource;

    public OrderDao(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Saves an order once, retrying a serialization failure or a lost connection; after a lost commit
     * acknowledgement it looks whether the order arrived before trying again.
     */
    public void save(long id, String item) throws SQLException {
        SQLException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                if (last != null && isConnectionLoss(last) && exists(id)) {
                    return; // the earlier commit did take effect; only its acknowledgement was lost
                }
                insert(id, item);
                return;
            } catch (SQLException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    private void insert(long id, String item) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, item) VALUES (?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, item);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                if (!c.isClosed()) {
                    try {
                        c.rollback();
                    } catch (SQLException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                }
                throw e;
            }
        }
    }

    private boolean exists(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM orders WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static boolean isTransient(SQLException e) {
        return "40001".equals(e.getSQLState()) || isConnectionLoss(e);
    }

    private static boolean isConnectionLoss(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }
}
