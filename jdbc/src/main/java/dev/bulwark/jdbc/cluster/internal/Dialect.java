package dev.bulwark.jdbc.cluster.internal;

import dev.bulwark.jdbc.cluster.HostStatus.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How each engine tells a host's role and replication position, a commit's position, and whether a replica has
 * replayed a position. One query per question, each cheap on the server (no table is read).
 *
 * <ul>
 *   <li>PostgreSQL: {@code pg_is_in_recovery()}; the primary's {@code pg_current_wal_lsn()} (its WAL write
 *       position: every acknowledged commit ends at or before it); a standby's {@code pg_last_wal_replay_lsn()}
 *       (what its queries see; received but unreplayed WAL does not count).</li>
 *   <li>MariaDB: {@code @@read_only} and {@code @@gtid_slave_pos} for the role; the primary's
 *       {@code @@gtid_binlog_pos}, a replica's {@code @@gtid_slave_pos}; a commit's {@code @@last_gtid};
 *       {@code MASTER_GTID_WAIT} to wait for one.</li>
 * </ul>
 */
enum Dialect {
    POSTGRES {
        @Override
        Sample sample(Connection c, boolean declaredPrimary) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), "
                    + "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END")) {
                rs.next();
                boolean recovery = rs.getBoolean(1);
                String lsn = rs.getString(2);
                return new Sample(recovery ? Role.REPLICA : Role.PRIMARY, lsn == null ? null : Position.Lsn.ofPgText(lsn));
            }
        }

        @Override
        Position commitPosition(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
                rs.next();
                return Position.Lsn.ofPgText(rs.getString(1));
            }
        }

        @Override
        Position awaitReplay(Connection c, Position target, long endsNanos) throws SQLException {
            long pause = 500_000;
            try (PreparedStatement s = c.prepareStatement("SELECT pg_last_wal_replay_lsn()")) {
                while (true) {
                    Position replayed;
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        String lsn = rs.getString(1);
                        replayed = lsn == null ? null : Position.Lsn.ofPgText(lsn);
                    }
                    if (replayed != null && replayed.includes(target)) {
                        return replayed;
                    }
                    long left = endsNanos - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    LockSupport.parkNanos(Math.min(left, pause));
                    pause = Math.min(pause * 2, 8_000_000);
                }
            }
        }
    },
    MARIADB {
        @Override
        Sample sample(Connection c, boolean declaredPrimary) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT @@read_only, @@gtid_binlog_pos, @@gtid_slave_pos")) {
                rs.next();
                boolean readOnly = rs.getBoolean(1);
                String binlog = rs.getString(2);
                String slave = rs.getString(3);
                boolean replicating = slave != null && !slave.isEmpty();
                Role role = declaredPrimary ? (readOnly ? Role.REPLICA : Role.PRIMARY)
                        : (readOnly || replicating ? Role.REPLICA : Role.PRIMARY);
                Position at = role == Role.PRIMARY ? Position.Gtid.parse(binlog == null ? "" : binlog)
                        : Position.Gtid.parse(slave == null ? "" : slave);
                return new Sample(role, at);
            }
        }

        @Override
        Position commitPosition(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
                rs.next();
                String gtid = rs.getString(1);
                return gtid == null ? null : Position.Gtid.parse(gtid); // empty: the unit wrote nothing to the binlog
            }
        }

        @Override
        Position awaitReplay(Connection c, Position target, long endsNanos) throws SQLException {
            if (!(target instanceof Position.Gtid gtid)) {
                return null;
            }
            double seconds = Math.max(0, endsNanos - System.nanoTime()) / 1e9;
            try (PreparedStatement s = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                s.setString(1, gtid.listText());
                s.setDouble(2, seconds);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 0 ? target : null; // 0: reached; -1: timed out
                }
            }
        }
    };

    /** What one sample found: the role, and the primary's or replica's position (null when it has none). */
    record Sample(Role role, Position position) {
    }

    abstract Sample sample(Connection c, boolean declaredPrimary) throws SQLException;

    /** The position at which the transaction just committed on {@code c} ends, or null if it wrote nothing. */
    abstract Position commitPosition(Connection c) throws SQLException;

    /** The replayed position once it includes {@code target}, or null when {@code endsNanos} passes first. */
    abstract Position awaitReplay(Connection c, Position target, long endsNanos) throws SQLException;

    /**
     * The dialect of {@code c}'s server.
     *
     * @throws SQLFeatureNotSupportedException for an engine whose replication Bulwark cannot read, naming it
     */
    static Dialect of(Connection c) throws SQLException {
        String product = String.valueOf(c.getMetaData().getDatabaseProductName());
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        throw new SQLFeatureNotSupportedException("replica routing reads PostgreSQL and MariaDB replication; this "
                + "host runs " + product, "0A000");
    }
}
