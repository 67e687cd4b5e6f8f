package dev.bulwark.examples.dao;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Plain JDBC implementation of {@link AccountDao}: it asks the DataSource for a connection in every method,
 * and inside a {@code @Transactional} method Bulwark hands it the unit's connection (closing it does nothing).
 * Thread-safe.
 */
public final class JdbcAccountDao implements AccountDao {

    private final DataSource dataSource;

    /** A DAO over {@code dataSource} (the BulwarkDataSource, so that methods join their unit). */
    public JdbcAccountDao(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void open(long cents, long... ids) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS example_account (id BIGINT PRIMARY KEY, cents BIGINT NOT NULL)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO example_account (id, cents) VALUES (?, ?)")) {
                for (long id : ids) {
                    p.setLong(1, id);
                    p.setLong(2, cents);
                    p.executeUpdate();
                }
            }
        }
    }

    @Override
    public void transfer(long from, long to, long cents) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement p = c.prepareStatement("UPDATE example_account SET cents = cents + ? WHERE id = ?")) {
            p.setLong(1, -cents);
            p.setLong(2, from);
            p.executeUpdate();
            if (balanceOn(c, from) < 0) {
                // thrown inside the unit: Bulwark rolls the debit back (a CONSTRAINT-like refusal, never retried)
                throw new SQLException("account " + from + " would be overdrawn", "23514");
            }
            p.setLong(1, cents);
            p.setLong(2, to);
            p.executeUpdate();
        }
    }

    @Override
    public long balance(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return balanceOn(c, id);
        }
    }

    private static long balanceOn(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT cents FROM example_account WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no account " + id, "02000");
                }
                return rs.getLong(1);
            }
        }
    }
}
