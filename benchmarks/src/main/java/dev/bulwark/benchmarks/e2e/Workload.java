package dev.bulwark.benchmarks.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * What one client operation does, identical for every variant: borrow a connection, run one statement,
 * give it back, as a web request would.
 *
 * <ul>
 *   <li>{@code select}: pgbench {@code -S}, one point select by primary key;</li>
 *   <li>{@code mix}: nine point selects in ten, else an update of one balance (autocommit).</li>
 * </ul>
 */
enum Workload {
    SELECT, MIX;

    static final String SELECT_SQL = "SELECT abalance FROM accounts WHERE aid = ?";
    static final String UPDATE_SQL = "UPDATE accounts SET abalance = abalance + ? WHERE aid = ?";

    /** Runs one operation on {@code dataSource}; the account is drawn from {@code random}. */
    long run(DataSource dataSource, SplittableRandom random, int accounts) throws SQLException {
        int aid = 1 + random.nextInt(accounts);
        boolean write = this == MIX && random.nextInt(10) == 0;
        try (Connection c = dataSource.getConnection()) {
            if (write) {
                try (PreparedStatement ps = c.prepareStatement(UPDATE_SQL)) {
                    ps.setInt(1, random.nextInt(-5000, 5001));
                    ps.setInt(2, aid);
                    return ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SELECT_SQL)) {
                ps.setInt(1, aid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("account " + aid + " is missing: the table was not filled");
                    }
                    return rs.getInt(1);
                }
            }
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
