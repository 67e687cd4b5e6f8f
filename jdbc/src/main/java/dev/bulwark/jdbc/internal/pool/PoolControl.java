package dev.bulwark.jdbc.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Bulwark can do to the pool behind a wrapped DataSource: evict one broken connection so it is never
 * handed out again, evict all after a failover, lend connections past a pool that is slow to refill after
 * an outage, and report pool statistics for {@code health()}.
 *
 * <p>HikariCP (when on the class path and behind the DataSource) gets its own eviction calls; any other
 * DataSource gets {@link Connection#abort}, which every JDBC 4.1 driver and pool honours.
 * Implementations are thread-safe.
 */
public sealed interface PoolControl permits HikariPoolControl, AbortPoolControl {

    /** Removes {@code physical} (as returned by the pool's {@code getConnection()}) for good; never throws. */
    void evict(Connection physical);

    /**
     * Marks every pooled connection for eviction (idle ones at once, busy ones when returned), used after a
     * failover or a read-only fault. Returns whether the pool could do it.
     */
    boolean evictAll();

    /**
     * Tells the control that the database was unreachable (a connection fault): if the pool then has no
     * connection at all, {@link #bypass(long)} may lend connections past it until it refills.
     */
    void outage();

    /** Whether {@link #bypass} may lend a connection now (an outage was seen); one volatile read. */
    boolean mayBypass();

    /** The longest a borrower waits for this pool on its own (HikariCP: {@code connectionTimeout}). */
    long maxWaitMillis();

    /**
     * A connection opened past the pool, with the pool's own settings, or null to borrow from the pool as
     * usual. Only after an {@link #outage()} and while the pool holds no connection at all: a pool that backs
     * off before refilling would otherwise keep callers waiting long after the database is back. The caller
     * closes it like a pooled one; closing it closes it for real.
     *
     * @param waitMillis how long the caller may wait for the connection, in milliseconds
     * @throws SQLException when the database refuses the connection (it is still down) or does not answer
     *         within {@code waitMillis}
     */
    Connection bypass(long waitMillis) throws SQLException;

    /**
     * Borrows a connection from {@code target} (the DataSource this control was made for), waiting at most
     * {@code waitMillis} where the pool allows a shorter wait than its own (HikariCP: its
     * {@code connectionTimeout}), so that a call's deadline bounds the wait for a pooled connection too.
     *
     * @throws PoolExhaustedException when the pool can tell that every connection stayed in use throughout
     *         the wait (no connection attempt failed)
     */
    Connection borrow(DataSource target, long waitMillis) throws SQLException;

    /**
     * A new connection opened past the pool with the pool's settings, for a probe of the database; the caller
     * closes it for real. Null when the pool cannot say how to connect without it (then the probe borrows).
     *
     * @throws SQLException when the database refuses or the connect fails
     */
    default Connection openDirect() throws SQLException {
        return null;
    }

    /**
     * Calls {@code action} with the driver connection of every connection the pool holds, lent or idle (those
     * it is checking included), where the pool lets Bulwark see them; otherwise does nothing. For aborting the
     * connections to a server that stopped answering.
     */
    default void forEachPooled(java.util.function.Consumer<Connection> action) {
    }

    /** Whether {@link #borrow} waits no longer than the pool's own limit (HikariCP: {@code connectionTimeout}). */
    boolean boundsWait();

    /**
     * Whether a network timeout set through {@code physical} (as the pool lent it) is undone by the pool
     * itself before it lends the connection again, or the connection is closed for good on release. HikariCP
     * restores its own value on return; an unknown pool cannot be relied on to.
     */
    boolean restoresNetworkTimeout(Connection physical);

    /** Current pool statistics, if the pool reports them. */
    Optional<PoolStats> stats();

    /**
     * Pool statistics for health reports; {@code bypassed}: connections Bulwark lent past an empty pool that
     * are still open; {@code max}: the most connections the pool may hold.
     */
    record PoolStats(int active, int idle, int total, int waiting, int bypassed, int max) {

        /** Whether every connection the pool may hold is in use, or callers are waiting for one. */
        public boolean saturated() {
            return waiting > 0 || (max > 0 && active >= max);
        }
    }

    /** The control that fits {@code dataSource}. */
    static PoolControl of(DataSource dataSource) {
        Logger log = LoggerFactory.getLogger(PoolControl.class);
        // Checked here, not in HikariPoolControl: loading that class makes the verifier load HikariCP's.
        if (hikariPresent()) {
            Optional<PoolControl> hikari = HikariPoolControl.tryOf(dataSource);
            if (hikari.isPresent()) {
                return hikari.get();
            }
        }
        log.debug("no pool-specific eviction for {}; using Connection.abort", dataSource.getClass().getName());
        return new AbortPoolControl();
    }

    /** Whether HikariCP (an optional dependency) is on the class path. */
    private static boolean hikariPresent() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, PoolControl.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
