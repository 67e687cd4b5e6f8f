package dev.bulwark.jdbc.internal.resolve;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which PostgreSQL server history an xid belongs to. Transaction ids are only meaningful within one
 * history: a promoted standby keeps the cluster's system identifier but starts a new timeline and may
 * hand out again the xids that the old primary used after the standby's last replayed record; a
 * different cluster (restored backup, new {@code initdb}) has another system identifier.
 *
 * <p>The timeline is taken from the WAL insert position, {@code pg_walfile_name(pg_current_wal_lsn())}
 * (its first 8 hex digits), not from {@code pg_control_checkpoint().timeline_id}: after a promotion
 * the server writes new WAL on the new timeline at once, but the control file shows the new timeline
 * only once the first checkpoint after promotion completes, which a spread checkpoint can delay for
 * minutes (TransactionIdServerHistoryIT saw checkpoint timeline 1 next to insert timeline 2 right after
 * {@code pg_ctl promote}). Reading the checkpoint's timeline in that window would make the promoted
 * standby look like the old history and its reused xids trusted. On a server in recovery (a standby) the insert position
 * does not exist and the call fails: such a server cannot be asked, and resolution keeps polling.
 *
 * <p>The postmaster start time tells a restart, which matters because a crash can lose xids that
 * never reached durable WAL and reuse them (see {@link TransactionIdResolver}). A crash of one
 * backend that makes the postmaster reinitialise without restarting does not change it: that
 * residual case is documented in docs/transactions.md.
 */
record ServerHistory(long systemIdentifier, long timeline, String postmasterStart) {

    /** The timeline of the WAL insert position, 8 hex digits. */
    static final String TIMELINE = "substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)";
    static final String POSTMASTER_START = "extract(epoch FROM pg_postmaster_start_time())::text";
    static final String COLUMNS = "s.system_identifier, " + TIMELINE + ", " + POSTMASTER_START;

    static ServerHistory read(ResultSet rs, int firstColumn) throws SQLException {
        return new ServerHistory(rs.getLong(firstColumn), Long.parseLong(rs.getString(firstColumn + 1), 16),
                rs.getString(firstColumn + 2));
    }

    static ServerHistory current(SessionScope scope) throws SQLException {
        try (Statement s = scope.statement();
             ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM pg_control_system() s")) {
            rs.next();
            return read(rs, 1);
        }
    }

    boolean sameHistoryAs(ServerHistory other) {
        return systemIdentifier == other.systemIdentifier && timeline == other.timeline;
    }
}
