package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads table names and definitions from a database's own catalogs, always with bound parameters,
 * for the connection's current schema (PostgreSQL), database (MariaDB) or main database (SQLite).
 */
public final class Catalog {

    /** {@code [BEFORE|AFTER|INSTEAD OF] DELETE ON} in a SQLite trigger's text (a body's DELETE is DELETE FROM). */
    private static final Pattern SQLITE_DELETE_TRIGGER =
            Pattern.compile("(?i)\\bDELETE\\s+ON\\b");

    private final Connection connection;
    private final SqlDialect sql;

    public Catalog(Connection connection) throws SQLException {
        this.connection = connection;
        this.sql = SqlDialect.of(connection);
    }

    public SqlDialect dialect() {
        return sql;
    }

    /** The base tables of the current schema, sorted by name. */
    public List<String> tables() throws SQLException {
        String query = switch (sql.dialect()) {
            case POSTGRESQL -> "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
                    + " AND NOT c.relispartition ORDER BY c.relname";
            case MYSQL -> "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME";
            case SQLITE -> "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                    + " ORDER BY name";
            default -> null;
        };
        List<String> names = new ArrayList<>();
        if (query == null) {
            try (ResultSet rs = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(),
                    "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME"));
                }
            }
            return names;
        }
        try (PreparedStatement ps = connection.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The tables of the current schema with a foreign key referencing {@code table} (itself included if so). */
    public List<String> referencing(String table) throws SQLException {
        String query = switch (sql.dialect()) {
            case POSTGRESQL -> "SELECT DISTINCT c.relname FROM pg_catalog.pg_constraint k"
                    + " JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_class r ON r.oid = k.confrelid"
                    + " WHERE k.contype = 'f' AND r.relname = ? AND r.relnamespace = c.relnamespace"
                    + " AND r.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())";
            case MYSQL -> "SELECT DISTINCT TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND UNIQUE_CONSTRAINT_SCHEMA = DATABASE()"
                    + " AND REFERENCED_TABLE_NAME = ?";
            case SQLITE -> "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
                    + " WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE";
            default -> null;
        };
        List<String> names = new ArrayList<>();
        if (query == null) {
            return names;
        }
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * Tables that a {@code DELETE FROM table} reaches besides {@link #referencing}'s: tables of other schemas
     * (PostgreSQL) or databases (MariaDB) with a foreign key to {@code table}, and PostgreSQL tables inheriting
     * from it (a DELETE on a parent deletes its children's rows; partitions excluded, they are the table itself).
     * Each as {@code {schema, name, "same"|"other"}}, where "same" is the current schema.
     */
    public List<String[]> reachedByDelete(String table) throws SQLException {
        String query = switch (sql.dialect()) {
            case POSTGRESQL -> "WITH t AS (SELECT r.oid FROM pg_catalog.pg_class r WHERE r.relname = ? AND r.relnamespace ="
                    + " (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema()))"
                    + " SELECT n.nspname, c.relname, CASE WHEN n.nspname = current_schema() THEN 'same' ELSE 'other' END"
                    + " FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE k.contype = 'f' AND k.confrelid IN (SELECT oid FROM t) AND n.nspname <> current_schema()"
                    + " UNION SELECT n.nspname, c.relname, CASE WHEN n.nspname = current_schema() THEN 'same' ELSE 'other' END"
                    + " FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE i.inhparent IN (SELECT oid FROM t) AND NOT c.relispartition";
            case MYSQL -> "SELECT DISTINCT CONSTRAINT_SCHEMA, TABLE_NAME, 'other' FROM information_schema.REFERENTIAL_CONSTRAINTS"
                    + " WHERE UNIQUE_CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_SCHEMA <> DATABASE()"
                    + " AND REFERENCED_TABLE_NAME = ?";
            default -> null;
        };
        List<String[]> out = new ArrayList<>();
        if (query == null) {
            return out;
        }
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        return out;
    }

    /**
     * The names of the triggers that a {@code DELETE FROM table} fires (BEFORE, AFTER or INSTEAD OF DELETE;
     * PostgreSQL's internal foreign-key triggers excluded), for a table of the current schema. SQLite: a
     * trigger whose text has {@code DELETE ON}, read conservatively (a false match only makes a restore ask).
     */
    public List<String> deleteTriggers(String table) throws SQLException {
        String query = switch (sql.dialect()) {
            case POSTGRESQL -> "SELECT t.tgname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
                    + " WHERE NOT t.tgisinternal AND (t.tgtype & 8) <> 0 AND c.relname = ? AND c.relnamespace ="
                    + " (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema()) ORDER BY t.tgname";
            case MYSQL -> "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE()"
                    + " AND EVENT_OBJECT_TABLE = ? AND EVENT_MANIPULATION = 'DELETE' ORDER BY TRIGGER_NAME";
            case SQLITE -> "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE"
                    + " ORDER BY name";
            default -> null;
        };
        List<String> names = new ArrayList<>();
        if (query == null) {
            return names;
        }
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (sql.dialect() != Dialect.SQLITE || SQLITE_DELETE_TRIGGER.matcher(rs.getString(2)).find()) {
                        names.add(rs.getString(1));
                    }
                }
            }
        }
        return names;
    }

    /**
     * The definition of an existing table of the current schema.
     *
     * @throws RecoveryException 42602 for an unsafe name, 42P01 when there is no such table
     */
    public TableDefinition describe(String table) throws SQLException {
        SqlDialect.validate("table", table);
        if (!tables().contains(table)) {
            throw new RecoveryException("table " + SqlDialect.printable(table) + " does not exist in the current schema"
                    + " (names are exact and case-sensitive)", RecoveryException.UNKNOWN_TABLE);
        }
        return new TableDefinition(table, columns(table), primaryKey(table), foreignKeys(table));
    }

    private List<TableDefinition.Column> columns(String table) throws SQLException {
        String query = switch (sql.dialect()) {
            case POSTGRESQL -> "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull"
                    + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                    + " AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
            case MYSQL -> "SELECT COLUMN_NAME, CONCAT(COLUMN_TYPE, IF(COLLATION_NAME IS NULL, '',"
                    + " CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME))),"
                    + " IS_NULLABLE = 'YES' FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
            case SQLITE -> "SELECT name, type, \"notnull\" = 0 FROM pragma_table_info(?) ORDER BY cid";
            default -> throw new RecoveryException("reading table definitions of " + sql.dialect()
                    + " databases is not supported (PostgreSQL, MariaDB/MySQL and SQLite are)",
                    RecoveryException.NOT_SUPPORTED);
        };
        List<TableDefinition.Column> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new TableDefinition.Column(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return columns;
    }

    private List<String> primaryKey(String table) throws SQLException {
        Map<Integer, String> bySequence = new java.util.TreeMap<>();
        if (sql.dialect() == Dialect.SQLITE) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        bySequence.put(rs.getInt(2), rs.getString(1));
                    }
                }
            }
        } else {
            try (ResultSet rs = metaData().getPrimaryKeys(catalog(), schema(), table)) {
                while (rs.next()) {
                    bySequence.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
        }
        return List.copyOf(bySequence.values());
    }

    private List<TableDefinition.ForeignKey> foreignKeys(String table) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        if (sql.dialect() == Dialect.SQLITE) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byName.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
            }
        } else {
            try (ResultSet rs = metaData().getImportedKeys(catalog(), schema(), table)) {
                while (rs.next()) {
                    String name = rs.getString("FK_NAME") + "/" + rs.getString("PKTABLE_NAME");
                    byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new String[] {
                            rs.getString("PKTABLE_NAME"), rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")});
                }
            }
        }
        List<TableDefinition.ForeignKey> keys = new ArrayList<>();
        for (List<String[]> parts : byName.values()) {
            String referenced = parts.get(0)[0];
            List<String> from = parts.stream().map(p -> p[1]).toList();
            List<String> to = parts.stream().map(p -> p[2]).toList();
            if (to.stream().anyMatch(c -> c == null)) {
                to = primaryKey(referenced); // SQLite: REFERENCES t without columns means t's primary key
            }
            keys.add(new TableDefinition.ForeignKey(from, referenced, to));
        }
        return keys;
    }

    private DatabaseMetaData metaData() throws SQLException {
        return connection.getMetaData();
    }

    private String catalog() throws SQLException {
        return sql.dialect() == Dialect.MYSQL ? connection.getCatalog() : null;
    }

    private String schema() throws SQLException {
        return sql.dialect() == Dialect.POSTGRESQL ? connection.getSchema() : null;
    }
}
