package dev.bulwark.jdbc.internal.resolve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resolution's use of one fresh connection: bounds its socket reads by the budget and runs each
 * check in autocommit mode (so every read sees the latest committed state, not an old snapshot),
 * restoring the connection's settings on close so a pool gets back what it lent. Not thread-safe.
 */
final class SessionScope implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionScope.class);

    private final Connection connection;
    private final Budget budget;
    private boolean autoCommit;
    /** The connection's network timeout before we changed it; -1 if the driver has none. */
    private final int networkTimeout;

    private SessionScope(Connection connection, Budget budget) throws SQLException {
        this.connection = connection;
        this.budget = budget;
        // Bounded first: the rollback below is a round trip too, and must not wait past the budget either.
        this.networkTimeout = boundNetworkTimeout(connection, budget);
        try {
            this.autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            restoreNetworkTimeout(connection, networkTimeout, e);
            throw e;
        }
    }

    private static void restoreNetworkTimeout(Connection connection, int previous, Exception failure) {
        if (previous < 0) {
            return;
        }
        try {
            if (!connection.isClosed()) {
                connection.setNetworkTimeout(Runnable::run, previous);
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static int boundNetworkTimeout(Connection connection, Budget budget) throws SQLException {
        try {
            int previous = connection.getNetworkTimeout();
            // No slack beyond the budget: the resolution's end is part of the unit's deadline bound. A statement
            // cut by it ends this connection, which is the resolution's own.
            long millis = Math.max(1, Math.min(Integer.MAX_VALUE, budget.remaining().toMillis()));
            if (previous > 0 && previous < millis) {
                millis = previous; // never loosens a tighter bound the connection came with (the user's socketTimeout)
            }
            if (millis != previous) {
                connection.setNetworkTimeout(Runnable::run, (int) millis);
            }
            return previous;
        } catch (SQLFeatureNotSupportedException e) {
            LOG.debug("driver has no network timeout (an embedded database needs none): {}", e.getMessage());
            return -1;
        }
    }

    static SessionScope open(Connection connection, Budget budget) throws SQLException {
        return new SessionScope(connection, budget);
    }

    Connection connection() {
        return connection;
    }

    /** A statement whose query timeout stays within the budget. */
    Statement statement() throws SQLException {
        Statement s = connection.createStatement();
        s.setQueryTimeout(budget.queryTimeoutSeconds());
        return s;
    }

    /** A prepared statement whose query timeout stays within the budget. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        s.setQueryTimeout(budget.queryTimeoutSeconds());
        return s;
    }

    @Override
    public void close() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        if (connection.getAutoCommit() != autoCommit) {
            connection.setAutoCommit(autoCommit);
        }
        if (networkTimeout >= 0) {
            connection.setNetworkTimeout(Runnable::run, networkTimeout);
        }
    }
}
