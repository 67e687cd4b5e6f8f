package dev.bulwark.jdbc.internal.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The commit ledger table of one dialect: its validated name and the SQL that reads, writes, creates
 * and expires it. The name is checked once here and only then spliced into SQL, so no statement built
 * from it can carry anything but a plain identifier. Immutable and thread-safe.
 */
record LedgerTable(String name, Dialect dialect) {

    /** The table name the shipped migrations create. */
    static final String DEFAULT_NAME = "bulwark_commit_ledger";

    /** Unquoted identifier rules shared by PostgreSQL, MariaDB/MySQL and SQLite; 48 leaves room for index suffixes. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
    private static final Pattern UNIT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final String MIGRATION = "V1__commit_ledger.sql";

    LedgerTable {
        Objects.requireNonNull(dialect, "dialect");
        checkName(name);
    }

    /**
     * Refuses anything but a plain identifier.
     *
     * @throws IllegalArgumentException naming the rejected value and the rule it breaks
     */
    static String checkName(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("commit ledger table name '" + name + "' is not allowed: use 1 to 48"
                    + " letters, digits or underscores, starting with a letter or underscore (no schema prefix, no"
                    + " quotes; the connection's default schema is used)");
        }
        return name;
    }

    /**
     * Refuses unit ids that would not fit the ledger's key.
     *
     * @throws IllegalArgumentException naming the rejected value
     */
    static String checkUnitId(String unitId) {
        if (unitId == null || !UNIT_ID.matcher(unitId).matches()) {
            throw new IllegalArgumentException("commit ledger unit id '" + unitId + "' is not allowed: use 1 to 64"
                    + " letters, digits or the characters _ . : -");
        }
        return unitId;
    }

    /** The MariaDB/MySQL server a session is on, as recorded with its session id (thread ids are per server). */
    static final String SERVER = "CONCAT(@@hostname, ':', @@port)";

    /**
     * Writes the marker; for PostgreSQL it also returns the session id, for MariaDB the session id and its
     * server ({@link #SERVER}), in the same round trip.
     */
    String insertSql() {
        String insert = "INSERT INTO " + name + " (unit_id) VALUES (?)";
        return switch (dialect) {
            case POSTGRESQL -> insert + " RETURNING pg_backend_pid()";
            case MARIADB -> insert + " RETURNING CONNECTION_ID(), " + SERVER;
            case MYSQL, SQLITE, OTHER -> insert;
        };
    }

    /** The same insert, used as a probe on the fresh connection: fails fast when the old transaction holds the key. */
    String probeSql() {
        String insert = "INSERT INTO " + name + " (unit_id) VALUES (?)";
        return switch (dialect) {
            case MARIADB -> "SET STATEMENT innodb_lock_wait_timeout=1 FOR " + insert;
            case MYSQL -> "INSERT /*+ SET_VAR(innodb_lock_wait_timeout=1) */ INTO " + name + " (unit_id) VALUES (?)";
            case POSTGRESQL, SQLITE, OTHER -> insert;
        };
    }

    String existsSql() {
        return "SELECT 1 FROM " + name + " WHERE unit_id = ?";
    }

    /** Deletes at most {@code batch} rows older than the bound parameter (see {@link LedgerExpiry}). */
    String expireBatchSql(int batch) {
        return switch (dialect) {
            case POSTGRESQL -> "DELETE FROM " + name + " WHERE unit_id IN (SELECT unit_id FROM " + name
                    + " WHERE created_at < CURRENT_TIMESTAMP - (? * INTERVAL '1 second') LIMIT " + batch + ")";
            case MARIADB, MYSQL -> "DELETE FROM " + name
                    + " WHERE created_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND LIMIT " + batch;
            case SQLITE -> "DELETE FROM " + name + " WHERE rowid IN (SELECT rowid FROM " + name
                    + " WHERE created_at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ? || ' seconds') LIMIT "
                    + batch + ")";
            case OTHER -> "DELETE FROM " + name + " WHERE created_at < ?";
        };
    }

    /**
     * Whether the table exists. Asks the catalog where the dialect has one we know (no failing
     * statement, so no driver warning in the logs), else runs a query that reads no row.
     */
    boolean exists(Connection connection) throws SQLException {
        String catalogQuery = switch (dialect) {
            case POSTGRESQL -> "SELECT to_regclass(?) IS NOT NULL";
            case MARIADB, MYSQL -> "SELECT COUNT(*) > 0 FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";
            case SQLITE -> "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE";
            case OTHER -> null;
        };
        if (catalogQuery != null) {
            try (PreparedStatement s = connection.prepareStatement(catalogQuery)) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        }
        try (Statement s = connection.createStatement()) {
            s.executeQuery("SELECT unit_id FROM " + name + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return false;
        }
    }

    /**
     * Creates the table if it is missing, with the same DDL as the shipped migration. Idempotent.
     *
     * @throws SQLException if the DDL fails (for instance for lack of privilege)
     * @throws IllegalStateException for a dialect that ships no migration
     */
    void bootstrap(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : migrationStatements()) {
                s.execute(sql);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** The shipped migration's statements with this table's name. */
    List<String> migrationStatements() {
        if (dialect.migrationFolder() == null) {
            throw new IllegalStateException("no commit ledger migration ships for this database; create table "
                    + name + " (unit_id VARCHAR(64) PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT"
                    + " CURRENT_TIMESTAMP) yourself");
        }
        String path = "META-INF/bulwark/migrations/" + dialect.migrationFolder() + "/" + MIGRATION;
        StringBuilder sql = new StringBuilder();
        for (String line : read(path).split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String each : sql.toString().split(";")) {
            if (!each.isBlank()) {
                statements.add(each.strip().replace(DEFAULT_NAME, name));
            }
        }
        return statements;
    }

    private static String read(String path) {
        try (InputStream in = LedgerTable.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("bulwark-jdbc is missing its resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
