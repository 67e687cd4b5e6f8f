package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the tables of the connection's current schema that names from a statement refer to, as the
 * database would: exact names on PostgreSQL and MariaDB, ASCII case-insensitive on SQLite. Names of
 * tables that do not exist are left out (there is nothing to save); names in another schema are refused,
 * because backups cover the current schema only. Thread-safe (no state).
 */
public final class TableResolver {

    private TableResolver() {
    }

    /**
     * The existing tables among {@code names}, spelt as the catalog spells them, without duplicates.
     *
     * @throws RecoveryException 0A000 for a table of another schema than the connection's current one
     */
    public static List<String> existing(Connection connection, Dialect dialect, List<DestructiveStatement.Name> names)
            throws SQLException {
        List<String> tables = new Catalog(connection).tables();
        String current = null;
        List<String> found = new ArrayList<>();
        for (DestructiveStatement.Name name : names) {
            if (name.schema() != null) {
                if (dialect == Dialect.SQLITE && name.schema().equalsIgnoreCase("temp")) {
                    continue; // a temporary table lives only as long as the connection: not snapshotted
                }
                if (current == null) {
                    current = currentSchema(connection, dialect);
                }
                boolean same = dialect == Dialect.SQLITE ? name.schema().equalsIgnoreCase(current)
                        : name.schema().equals(current);
                if (!same) {
                    throw otherSchema(name.table(), name.schema(), current);
                }
            }
            String table = match(tables, name.table(), dialect);
            if (table == null) {
                if (dialect == Dialect.POSTGRESQL) {
                    String schema = schemaOnSearchPath(connection, name.table());
                    if (schema != null && !schema.startsWith("pg_temp")) { // temporary tables are not snapshotted
                        throw otherSchema(name.table(), schema, currentSchema(connection, dialect));
                    }
                }
                continue;
            }
            if (!found.contains(table)) {
                found.add(table);
            }
        }
        return found;
    }

    private static String match(List<String> tables, String name, Dialect dialect) {
        for (String table : tables) {
            boolean same = dialect == Dialect.SQLITE
                    ? table.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) && asciiFold(table, name)
                    : table.equals(name);
            if (same) {
                return table;
            }
        }
        return null;
    }

    /** SQLite folds ASCII letters only: {@code É} and {@code é} are different names there. */
    private static boolean asciiFold(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && (x >= 128 || y >= 128 || Character.toLowerCase(x) != Character.toLowerCase(y))) {
                return false;
            }
        }
        return true;
    }

    private static String currentSchema(Connection connection, Dialect dialect) throws SQLException {
        String query = switch (dialect) {
            case POSTGRESQL -> "SELECT current_schema()";
            case MYSQL -> "SELECT DATABASE()";
            default -> null;
        };
        if (query == null) {
            return "main";
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The schema where PostgreSQL's search path finds a table of that name, or null. */
    private static String schemaOnSearchPath(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass(?)")) {
            ps.setString(1, '"' + table.replace("\"", "\"\"") + '"');
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static RecoveryException otherSchema(String table, String schema, String current) {
        return new RecoveryException("statement refused and not run: table " + SqlDialect.printable(table)
                + " is in schema " + SqlDialect.printable(schema) + ", but snapshots cover only the connection's current"
                + " schema " + (current == null ? "(none)" : SqlDialect.printable(current))
                + "; switch to that schema first", RecoveryException.NOT_SUPPORTED);
    }

    /**
     * {@code tables} and every table of the current schema whose foreign keys reach one of them, directly or
     * through others: the rows that ON DELETE CASCADE or TRUNCATE ... CASCADE can remove with theirs.
     */
    public static List<String> withReferencing(Connection connection, List<String> tables) throws SQLException {
        Catalog catalog = new Catalog(connection);
        List<String> all = new ArrayList<>(tables);
        for (int i = 0; i < all.size(); i++) {
            for (String child : catalog.referencing(all.get(i))) {
                if (!all.contains(child)) {
                    all.add(child);
                }
            }
        }
        return all;
    }
}
