package dev.bulwark.recovery;

import dev.bulwark.recovery.internal.CanonicalValue;
import dev.bulwark.recovery.internal.Catalog;
import dev.bulwark.recovery.internal.Sha256;
import dev.bulwark.recovery.internal.SqlDialect;
import dev.bulwark.recovery.internal.TableDefinition;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A SHA-256 digest of a table's content, read in primary-key order (byte order for text keys) and
 * streamed, so that the same data gives the same checksum on PostgreSQL, MariaDB and SQLite.
 *
 * <pre>{@code
 * TableChecksum source = TableChecksum.compute(sourceDataSource, "account");
 * TableChecksum copy = TableChecksum.compute(targetDataSource, "account");
 * if (!source.matches(copy)) { ... }
 * }</pre>
 *
 * <p>Each value is encoded canonically (see docs/recovery.md): exact numbers as plain decimals without
 * trailing zeros, text as UTF-8, binary as hex, booleans as {@code true}/{@code false}, timestamps as
 * ISO-8601 UTC; each value is framed by a marker and its length, and NULL has its own marker, so NULL
 * and the empty string differ. Column names are not part of the digest; columns count in ordinal
 * order. A table without a primary key is read ordered by all its columns.
 *
 * <p>Instances are immutable values; {@code compute} is thread-safe given separate connections.
 *
 * @param table    the table name, exact
 * @param rowCount the number of rows read
 * @param sha256   the lower-case hex SHA-256 digest
 */
public record TableChecksum(String table, long rowCount, String sha256) {

    /** Rows fetched per round trip while streaming. */
    static final int FETCH_SIZE = 1000;

    private static final byte NULL_MARKER = 0;
    private static final byte VALUE_MARKER = 1;

    /** Validates the components. @throws NullPointerException if any is null */
    public TableChecksum {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Whether both checksums describe the same content (row count and digest; the name may differ). */
    public boolean matches(TableChecksum other) {
        return other != null && rowCount == other.rowCount && sha256.equals(other.sha256);
    }

    /**
     * Computes the checksum of a table of the data source's current schema on a new connection.
     *
     * @throws RecoveryException 42602 for an unsafe name, 42P01 for an unknown table
     * @throws SQLException      if the database fails
     */
    public static TableChecksum compute(DataSource dataSource, String table) throws SQLException {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            return compute(connection, table);
        }
    }

    /**
     * Computes the checksum on the given connection, inside its current transaction if one is open
     * (so a caller can checksum several tables in one snapshot). On PostgreSQL in autocommit mode the
     * read runs in a short read-only transaction, since pgjdbc streams with a cursor only then.
     *
     * @throws RecoveryException 42602 for an unsafe name, 42P01 for an unknown table
     * @throws SQLException      if the database fails
     */
    public static TableChecksum compute(Connection connection, String table) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Catalog catalog = new Catalog(connection);
        TableDefinition definition = catalog.describe(table);
        SqlDialect sql = catalog.dialect();
        boolean ownTransaction = connection.getAutoCommit() && sql.dialect() == dev.bulwark.core.Dialect.POSTGRESQL;
        if (ownTransaction) {
            connection.setAutoCommit(false);
        }
        try {
            return digest(connection, sql, definition);
        } finally {
            if (ownTransaction) {
                connection.rollback(); // nothing was written; ends the read transaction
                connection.setAutoCommit(true);
            }
        }
    }

    private static TableChecksum digest(Connection connection, SqlDialect sql, TableDefinition definition)
            throws SQLException {
        String query = selectInKeyOrder(connection, sql, definition);
        MessageDigest digest = Sha256.newDigest();
        long rows = 0;
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = statement.executeQuery(query)) {
                ResultSetMetaData md = rs.getMetaData();
                int count = md.getColumnCount();
                CanonicalValue[] kinds = new CanonicalValue[count];
                for (int i = 0; i < count; i++) {
                    kinds[i] = CanonicalValue.of(md, i + 1, sql.dialect(), definition.columns().get(i).type());
                }
                ByteBuffer length = ByteBuffer.allocate(4);
                while (rs.next()) {
                    rows++;
                    for (int i = 0; i < count; i++) {
                        byte[] value = kinds[i].read(rs, i + 1, sql.dialect());
                        if (value == null) {
                            digest.update(NULL_MARKER);
                        } else {
                            digest.update(VALUE_MARKER);
                            digest.update(length.clear().putInt(value.length).array());
                            digest.update(value);
                        }
                    }
                }
            }
        }
        return new TableChecksum(definition.name(), rows, HexFormat.of().formatHex(digest.digest()));
    }

    /** The SELECT that reads a table in canonical order; all names quoted for the dialect. */
    static String selectInKeyOrder(Connection connection, SqlDialect sql, TableDefinition definition)
            throws SQLException {
        List<String> order = definition.primaryKey().isEmpty() ? definition.columnNames() : definition.primaryKey();
        StringBuilder query = new StringBuilder("SELECT ");
        for (int i = 0; i < definition.columns().size(); i++) {
            query.append(i == 0 ? "" : ", ").append(sql.quote(definition.columns().get(i).name()));
        }
        query.append(" FROM ").append(sql.quote(definition.name())).append(" ORDER BY ");
        for (int i = 0; i < order.size(); i++) {
            String column = order.get(i);
            String type = definition.columns().stream().filter(c -> c.name().equals(column))
                    .map(TableDefinition.Column::type).findFirst().orElse("");
            query.append(i == 0 ? "" : ", ");
            if (definition.primaryKey().isEmpty()) {
                // Databases disagree on where NULLs sort; make them last everywhere.
                query.append("CASE WHEN ").append(sql.quote(column)).append(" IS NULL THEN 1 ELSE 0 END, ");
            }
            query.append(sql.byteOrder(column, isTextual(type)));
        }
        return query.toString();
    }

    private static boolean isTextual(String declaredType) {
        String type = declaredType.toLowerCase(java.util.Locale.ROOT);
        return type.contains("char") || type.contains("text") || type.contains("clob") || type.equals("name");
    }
}
