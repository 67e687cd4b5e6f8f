package dev.bulwark.cli.internal;

import dev.bulwark.core.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the settings of each dialect that decide how a database behaves under faults, and judges them.
 *
 * <p>Stateless and thread-safe.
 */
final class ServerSettings {

    private ServerSettings() {
    }

    /** The settings that matter for {@code dialect}, read on {@code c}; empty for other dialects. */
    static List<Setting> read(Dialect dialect, Connection c) throws SQLException {
        return switch (dialect) {
            case POSTGRESQL -> postgres(c);
            case MYSQL -> mariadb(c);
            case SQLITE -> sqlite(c);
            case H2, GENERIC -> List.of();
        };
    }

    private static List<Setting> postgres(Connection c) throws SQLException {
        Map<String, Long> n = new HashMap<>();
        Map<String, String> shown = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, setting, unit FROM pg_settings"
                + " WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout', 'tcp_keepalives_idle',"
                + " 'default_transaction_isolation')")) {
            while (rs.next()) {
                String unit = rs.getString(3);
                shown.put(rs.getString(1), rs.getString(2) + (unit == null ? "" : " " + unit));
                if (unit != null) {
                    n.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                }
            }
        }
        String isolation = shown.getOrDefault("default_transaction_isolation", "?");
        return List.of(
                n.getOrDefault("statement_timeout", 0L) == 0
                        ? Setting.warn("statement_timeout", shown.get("statement_timeout"), "no server-side limit: a runaway"
                        + " query holds its connection until the client cancels it (bulwark.timeout.statement, 30s);"
                        + " set a backstop, e.g. ALTER ROLE app SET statement_timeout = '60s'")
                        : Setting.ok("statement_timeout", shown.get("statement_timeout"), "runaway queries are cut off"),
                n.getOrDefault("idle_in_transaction_session_timeout", 0L) == 0
                        ? Setting.warn("idle_in_transaction_session_timeout",
                        shown.get("idle_in_transaction_session_timeout"), "a client that stalls inside a transaction keeps"
                        + " its locks forever; set e.g. '60s'")
                        : Setting.ok("idle_in_transaction_session_timeout",
                        shown.get("idle_in_transaction_session_timeout"), "stalled transactions release their locks"),
                keepalive(n.getOrDefault("tcp_keepalives_idle", 0L), shown.get("tcp_keepalives_idle")),
                isolation.equals("read committed")
                        ? Setting.ok("default_transaction_isolation", isolation, "few serialization failures")
                        : Setting.note("default_transaction_isolation", isolation, "expect serialization failures"
                        + " (40001); Bulwark retries whole units of work, so keep them short"));
    }

    private static Setting keepalive(long seconds, String shown) {
        if (seconds == 0) {
            return Setting.warn("tcp_keepalives_idle", shown, "the operating system's default (often 2 hours): the"
                    + " session and locks of a vanished client linger; set 60");
        }
        return seconds > 300
                ? Setting.warn("tcp_keepalives_idle", shown, "a vanished client is noticed only after this; 60 s is usual")
                : Setting.ok("tcp_keepalives_idle", shown, "vanished clients are noticed soon");
    }

    private static List<Setting> mariadb(Connection c) throws SQLException {
        long wait;
        long lockWait;
        long max;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT @@wait_timeout, @@innodb_lock_wait_timeout, @@max_connections")) {
            rs.next();
            wait = rs.getLong(1);
            lockWait = rs.getLong(2);
            max = rs.getLong(3);
        }
        long connected = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_connected'")) {
            if (rs.next()) {
                connected = rs.getLong(2);
            }
        }
        String pool = "keep HikariCP maxLifetime below it (at most " + Math.max(wait - 30, 1) + " s), or the server"
                + " closes idle pooled connections under you";
        return List.of(
                wait < 600 ? Setting.warn("wait_timeout", wait + " s", "short: " + pool) : Setting.ok("wait_timeout", wait + " s", pool),
                lockWait > 10
                        ? Setting.warn("innodb_lock_wait_timeout", lockWait + " s", "a lock wait blocks this long before"
                        + " error 1205 (which Bulwark retries); 5-10 s leaves the deadline time to retry")
                        : Setting.ok("innodb_lock_wait_timeout", lockWait + " s", "lock waits end soon and are retried"),
                connected * 5 > max * 4
                        ? Setting.warn("max_connections", max + " (" + connected + " in use)", "nearly full: pool size x"
                        + " application instances must stay below it, or connects fail with 1040")
                        : Setting.ok("max_connections", max + " (" + connected + " in use)", "pool size x application"
                        + " instances must stay below it"));
    }

    private static List<Setting> sqlite(Connection c) throws SQLException {
        String journal;
        long busy;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                journal = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                busy = rs.getLong(1);
            }
        }
        return List.of(
                "wal".equalsIgnoreCase(journal)
                        ? Setting.ok("journal_mode", journal, "readers and the writer do not block each other")
                        : Setting.note("journal_mode", journal, "readers and writers block each other; Bulwark sets WAL"
                        + " on its connections (bulwark.sqlite.wal=true), which persists in the file"),
                busy == 0
                        ? Setting.warn("busy_timeout", busy + " ms", "a locked database fails at once with SQLITE_BUSY;"
                        + " Bulwark sets it on its connections (bulwark.sqlite.busyTimeout=5s)")
                        : Setting.ok("busy_timeout", busy + " ms (this connection)", "a writer waits this long for the"
                        + " lock before SQLITE_BUSY; Bulwark sets bulwark.sqlite.busyTimeout=5s on its connections"));
    }
}
