package dev.bulwark.jdbc.internal.pool;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Eviction through HikariCP's own API. Loaded only when HikariCP is on the class path (it is optional). */
final class HikariPoolControl implements PoolControl {

    private static final Logger LOG = LoggerFactory.getLogger(HikariPoolControl.class);

    private static final String HIKARI_PROXY_PACKAGE = "com.zaxxer.hikari.pool.";
    private static final AbortPoolControl ABORT = new AbortPoolControl();

    private final HikariDataSource hikari;

    private HikariPoolControl(HikariDataSource hikari) {
        this.hikari = hikari;
    }

    static boolean available() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, PoolControl.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static Optional<PoolControl> tryOf(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h) {
            return Optional.of(new HikariPoolControl(h));
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return Optional.of(new HikariPoolControl(dataSource.unwrap(HikariDataSource.class)));
            }
        } catch (SQLException e) {
            LOG.debug("could not unwrap {} to HikariDataSource: {}", dataSource.getClass().getName(), e.toString());
        }
        return Optional.empty();
    }

    @Override
    public void evict(Connection physical) {
        if (!physical.getClass().getName().startsWith(HIKARI_PROXY_PACKAGE)) {
            // Something sits between Bulwark and HikariCP (a tracing or test wrapper), and HikariCP ignores
            // connections that are not its own. Abort the connection, then make one call through the wrapper:
            // it fails with an 08 SQLState, on which HikariCP's own proxy evicts the connection (otherwise it
            // would lend it again within its 500 ms liveness-check bypass).
            ABORT.evict(physical);
            try {
                physical.getAutoCommit();
            } catch (SQLException expected) {
                LOG.debug("{}: aborted connection reported {}, as HikariCP needs to drop it", hikari.getPoolName(),
                        expected.getSQLState());
            }
            return;
        }
        try {
            // Closes the physical connection and removes it from the pool, even while it is borrowed.
            hikari.evictConnection(physical);
        } catch (RuntimeException e) {
            LOG.warn("{}: HikariCP could not evict a connection: {}", hikari.getPoolName(), e.toString());
        }
    }

    @Override
    public boolean evictAll() {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return false; // the pool has not started yet: nothing to evict
        }
        pool.softEvictConnections();
        return true;
    }

    @Override
    public Optional<PoolStats> stats() {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return Optional.empty();
        }
        return Optional.of(new PoolStats(pool.getActiveConnections(), pool.getIdleConnections(),
                pool.getTotalConnections(), pool.getThreadsAwaitingConnection()));
    }

    @Override
    public String toString() {
        return "HikariPoolControl[" + hikari.getPoolName() + "]";
    }
}
