package dev.bulwark.jdbc.internal.resolve;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;

/**
 * Keeps a ledger probe from waiting long on the old transaction's lock, per dialect, and recognises
 * a lock wait by SQLState and vendor code, never by message text. Not thread-safe: one per probe.
 */
final class ProbeLimits {

    /** MariaDB/MySQL ER_LOCK_WAIT_TIMEOUT. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    /** SQLite primary result codes (sqlite-jdbc reports them as vendor code with a null SQLState). */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_PROBE_BUSY_MILLIS = 100;

    private final SessionScope scope;
    private final int previousBusyTimeout;

    private ProbeLimits(SessionScope scope, int previousBusyTimeout) {
        this.scope = scope;
        this.previousBusyTimeout = previousBusyTimeout;
    }

    /** Sets the limits inside the probe's transaction (autocommit is off). */
    static ProbeLimits apply(SessionScope scope, Dialect dialect) throws SQLException {
        switch (dialect) {
            case POSTGRESQL -> {
                try (Statement s = scope.statement()) {
                    s.execute("SET LOCAL lock_timeout = '200ms'");
                }
                return new ProbeLimits(scope, -1);
            }
            case SQLITE -> {
                int previous;
                try (Statement s = scope.statement(); ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                    rs.next();
                    previous = rs.getInt(1);
                }
                try (Statement s = scope.statement()) {
                    s.execute("PRAGMA busy_timeout = " + SQLITE_PROBE_BUSY_MILLIS);
                }
                return new ProbeLimits(scope, previous);
            }
            default -> {
                // MariaDB/MySQL bound the wait in the probe statement itself; others by the query timeout.
                return new ProbeLimits(scope, -1);
            }
        }
    }

    /** Undoes what {@link #apply} changed that a rollback does not undo. */
    void restore() throws SQLException {
        if (previousBusyTimeout >= 0) {
            try (Statement s = scope.statement()) {
                s.execute("PRAGMA busy_timeout = " + previousBusyTimeout);
            }
        }
    }

    /** The probe waited on a lock another transaction holds (by SQLState and vendor code). */
    static boolean isLockHeld(SQLException e) {
        String state = e.getSQLState();
        if ("55P03".equals(state) || "57014".equals(state) || e instanceof SQLTimeoutException) {
            return true;
        }
        if (e.getErrorCode() == LOCK_WAIT_TIMEOUT) {
            return true;
        }
        int primary = e.getErrorCode() & 0xff;
        return state == null && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
    }
}
