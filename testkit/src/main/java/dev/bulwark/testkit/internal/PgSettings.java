package dev.bulwark.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code postgresql.conf} settings of a throw-away test cluster: defaults tuned for speed and for
 * replication, checks on the names and values a test adds, and rendering into a configuration file.
 * Stateless and thread-safe.
 */
public final class PgSettings {

    /** Settings the cluster decides itself: each node's address, and who replicates from whom. */
    public static final Set<String> MANAGED = Set.of("port", "listen_addresses", "unix_socket_directories",
            "synchronous_standby_names", "primary_conninfo", "data_directory", "config_file", "hba_file",
            "ident_file", "include", "include_dir", "include_if_exists");

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private PgSettings() {
    }

    /**
     * The defaults: streaming replication with hot standby, {@code wal_log_hints} for {@code pg_rewind},
     * no {@code fsync} (the OS page cache survives a server crash; nothing here simulates a power cut), and
     * {@code synchronous_commit} as strong as the replication mode needs.
     */
    public static Map<String, String> defaults(boolean synchronousStandby) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "replica");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        settings.put("wal_keep_size", "128MB");
        settings.put("hot_standby", "on");
        settings.put("wal_log_hints", "on");
        settings.put("full_page_writes", "on"); // pg_rewind refuses to work without it
        settings.put("fsync", "off");
        // remote_apply: once COMMIT returns, the row is visible on the synchronous standby.
        settings.put("synchronous_commit", synchronousStandby ? "remote_apply" : "on");
        settings.put("shared_buffers", "32MB");
        settings.put("max_connections", "100");
        settings.put("wal_retrieve_retry_interval", "1s");
        settings.put("wal_receiver_status_interval", "1s");
        settings.put("log_line_prefix", "%m [%p] ");
        return settings;
    }

    /**
     * The name in the lower case PostgreSQL uses.
     *
     * @throws IllegalArgumentException when it is not a setting name, or names a setting the cluster manages
     */
    public static String checkName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("setting name is null");
        }
        String normal = name.trim().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(normal).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a PostgreSQL setting name "
                    + "(letters, digits and underscores, optionally one dot for a custom setting)");
        }
        if (MANAGED.contains(normal)) {
            throw new IllegalArgumentException("setting '" + normal + "' is managed by PostgresCluster itself "
                    + "(address, sockets and replication); it cannot be set with withSetting");
        }
        return normal;
    }

    /**
     * The value, unchanged.
     *
     * @throws IllegalArgumentException when it is null or spans lines
     */
    public static String checkValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("value of setting '" + name + "' is null");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value of setting '" + name + "' contains a line break or NUL");
        }
        return value;
    }

    /** The settings as {@code postgresql.conf} lines; later lines win, as in PostgreSQL. */
    public static String render(Map<String, String> settings) {
        StringBuilder text = new StringBuilder("# Written by Bulwark's PostgresCluster before every start.\n");
        settings.forEach((name, value) -> text.append(name).append(" = ").append(quote(value)).append('\n'));
        return text.toString();
    }

    /** A single-quoted configuration-file value (backslashes are escapes there). */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** A single-quoted SQL literal ({@code standard_conforming_strings} is on since PostgreSQL 9.1). */
    public static String sqlLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
