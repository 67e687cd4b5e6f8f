package dev.bulwark.jdbc.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eviction for any DataSource: {@link Connection#abort} tells the driver (or a JDBC 4.1 pool's proxy) that
 * the connection is unusable, so a pool discards it rather than lending it out again.
 */
final class AbortPoolControl implements PoolControl {

    private static final Logger LOG = LoggerFactory.getLogger(AbortPoolControl.class);

    @Override
    public void evict(Connection physical) {
        try {
            // A direct executor: abort only marks and closes the socket, it does not block on the server.
            physical.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("abort of a broken connection failed ({}); closing it instead", e.toString());
            try {
                physical.close();
            } catch (SQLException closeFailure) {
                LOG.debug("close of a broken connection failed too: {}", closeFailure.toString());
            }
        }
    }

    @Override
    public boolean evictAll() {
        return false; // an unknown pool offers no way to reach its idle connections
    }

    @Override
    public void outage() {
        // An unknown pool's refill strategy is its own: nothing to bypass.
    }

    @Override
    public boolean mayBypass() {
        return false;
    }

    @Override
    public long maxWaitMillis() {
        return Long.MAX_VALUE;
    }

    @Override
    public Connection bypass(long waitMillis) {
        return null;
    }

    @Override
    public Connection borrow(DataSource target, long waitMillis) throws SQLException {
        return target.getConnection(); // an unknown pool waits as long as it was configured to
    }

    @Override
    public boolean boundsWait() {
        return false; // an unknown pool waits as long as it was configured to
    }

    @Override
    public boolean restoresNetworkTimeout(Connection physical) {
        return false;
    }

    @Override
    public Optional<PoolStats> stats() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "AbortPoolControl";
    }
}
