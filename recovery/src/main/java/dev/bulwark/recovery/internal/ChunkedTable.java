package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.RecoveryException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One table as a copy sees it on both sides: the chunk query on the source (rows after a key, in key
 * byte order), the key lookup on the target, and the INSERT and UPDATE statements.
 */
final class ChunkedTable {

    /** A chunk of source rows: values per column and the canonical key of each row. */
    record Chunk(List<Object[]> rows, List<List<String>> keys) {
    }

    private final TableDefinition definition;
    private final SqlDialect sourceSql;
    private final SqlDialect targetSql;
    private final int[] keyIndexes;
    private final CanonicalValue[] keyKinds;
    private ColumnTransfer[] transfers;

    ChunkedTable(TableDefinition definition, SqlDialect sourceSql, SqlDialect targetSql) throws RecoveryException {
        if (definition.primaryKey().isEmpty()) {
            throw new RecoveryException("table " + SqlDialect.printable(definition.name()) + " has no primary key;"
                    + " TableCopy needs one to copy in chunks and resume", RecoveryException.WRONG_STATE);
        }
        this.definition = definition;
        this.sourceSql = sourceSql;
        this.targetSql = targetSql;
        this.keyIndexes = definition.primaryKey().stream().mapToInt(k -> definition.columnNames().indexOf(k)).toArray();
        this.keyKinds = new CanonicalValue[keyIndexes.length];
        for (int k = 0; k < keyIndexes.length; k++) {
            TableDefinition.Column column = definition.columns().get(keyIndexes[k]);
            keyKinds[k] = CanonicalValue.fromDeclared(column.type());
            if (keyKinds[k] != CanonicalValue.NUMBER && keyKinds[k] != CanonicalValue.TEXT) {
                throw new RecoveryException("table " + SqlDialect.printable(definition.name()) + ": primary key column "
                        + SqlDialect.printable(column.name()) + " is of type " + SqlDialect.printable(column.type())
                        + "; TableCopy chunks by integer, decimal and text keys only", RecoveryException.NOT_SUPPORTED);
            }
        }
    }

    TableDefinition definition() {
        return definition;
    }

    /** Reads the next chunk after {@code after} (null: from the start). */
    Chunk next(Connection source, Connection target, List<String> after, int size) throws SQLException {
        String query = "SELECT " + Snapshot.columnList(sourceSql, definition) + " FROM " + sourceSql.quote(definition.name())
                + (after == null ? "" : " WHERE " + keyTuple(sourceSql) + " > " + placeholders())
                + " ORDER BY " + keyOrder(sourceSql) + " LIMIT " + size;
        try (PreparedStatement ps = source.prepareStatement(query)) {
            if (after != null) {
                bindKey(ps, 1, after);
            }
            try (ResultSet rs = ps.executeQuery()) {
                prepare(rs.getMetaData(), target);
                List<Object[]> rows = new ArrayList<>();
                List<List<String>> keys = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[transfers.length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = transfers[i].read(rs, i + 1);
                    }
                    List<String> key = new ArrayList<>();
                    for (int k = 0; k < keyIndexes.length; k++) {
                        Object value = keyKinds[k] == CanonicalValue.NUMBER ? rs.getBigDecimal(keyIndexes[k] + 1)
                                : keyKinds[k] == CanonicalValue.TEXT ? rs.getString(keyIndexes[k] + 1) : rs.getObject(keyIndexes[k] + 1);
                        key.add(ColumnTransfer.keyText(value));
                    }
                    rows.add(row);
                    keys.add(key);
                }
                return new Chunk(rows, keys);
            }
        }
    }

    /** The keys among {@code chunk}'s range that already exist in the target table. */
    Set<List<String>> existing(Connection target, Chunk chunk) throws SQLException {
        String query = "SELECT " + keyList(targetSql) + " FROM " + targetSql.quote(definition.name()) + " WHERE "
                + keyTuple(targetSql) + " >= " + placeholders() + " AND " + keyTuple(targetSql) + " <= " + placeholders();
        Set<List<String>> found = new HashSet<>();
        try (PreparedStatement ps = target.prepareStatement(query)) {
            bindKey(ps, 1, chunk.keys().get(0));
            bindKey(ps, 1 + keyIndexes.length, chunk.keys().get(chunk.keys().size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> key = new ArrayList<>();
                    for (int k = 0; k < keyIndexes.length; k++) {
                        key.add(ColumnTransfer.keyText(keyKinds[k] == CanonicalValue.NUMBER ? rs.getBigDecimal(k + 1)
                                : rs.getString(k + 1)));
                    }
                    found.add(key);
                }
            }
        }
        return found;
    }

    void insert(Connection target, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = target.prepareStatement(RowInserter.insertSql(targetSql, definition))) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    transfers[i].bind(ps, i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void overwrite(Connection target, List<Object[]> rows) throws SQLException {
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < definition.columns().size(); i++) {
            if (!definition.primaryKey().contains(definition.columnNames().get(i))) {
                others.add(i);
            }
        }
        if (rows.isEmpty() || others.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("UPDATE ").append(targetSql.quote(definition.name())).append(" SET ");
        for (int i = 0; i < others.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(targetSql.quote(definition.columnNames().get(others.get(i)))).append(" = ?");
        }
        sql.append(" WHERE ");
        for (int k = 0; k < keyIndexes.length; k++) {
            sql.append(k == 0 ? "" : " AND ").append(targetSql.quote(definition.primaryKey().get(k))).append(" = ?");
        }
        try (PreparedStatement ps = target.prepareStatement(sql.toString())) {
            for (Object[] row : rows) {
                int p = 1;
                for (int i : others) {
                    transfers[i].bind(ps, p++, row[i]);
                }
                for (int k : keyIndexes) {
                    transfers[k].bind(ps, p++, row[k]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void prepare(ResultSetMetaData source, Connection target) throws SQLException {
        if (transfers != null) {
            return;
        }
        int count = source.getColumnCount();
        CanonicalValue[] targetKinds = targetKinds(target, count);
        transfers = new ColumnTransfer[count];
        for (int i = 0; i < count; i++) {
            CanonicalValue sourceKind = CanonicalValue.of(source, i + 1, sourceSql.dialect(),
                    definition.columns().get(i).type());
            transfers[i] = new ColumnTransfer(sourceKind, targetKinds == null ? sourceKind : targetKinds[i],
                    sourceSql.dialect(), targetSql.dialect());
        }
    }

    /** The target columns' kinds, or null when the target table does not exist yet (dry run). */
    private CanonicalValue[] targetKinds(Connection target, int count) throws SQLException {
        Catalog catalog = new Catalog(target);
        if (!catalog.tables().contains(definition.name())) {
            return null;
        }
        TableDefinition existing = catalog.describe(definition.name());
        try (PreparedStatement ps = target.prepareStatement("SELECT " + Snapshot.columnList(targetSql, definition)
                + " FROM " + targetSql.quote(definition.name()) + " WHERE 1 = 0");
             ResultSet rs = ps.executeQuery()) {
            CanonicalValue[] kinds = new CanonicalValue[count];
            for (int i = 0; i < count; i++) {
                kinds[i] = CanonicalValue.of(rs.getMetaData(), i + 1, targetSql.dialect(),
                        existing.columns().get(i).type());
            }
            return kinds;
        }
    }

    private void bindKey(PreparedStatement ps, int first, List<String> key) throws SQLException {
        for (int k = 0; k < key.size(); k++) {
            if (keyKinds[k] == CanonicalValue.NUMBER) {
                ps.setBigDecimal(first + k, new BigDecimal(key.get(k)));
            } else {
                ps.setString(first + k, key.get(k));
            }
        }
    }

    private String keyTuple(SqlDialect sql) throws SQLException {
        StringBuilder out = new StringBuilder("(");
        for (int k = 0; k < keyIndexes.length; k++) {
            out.append(k == 0 ? "" : ", ").append(sql.byteOrder(definition.primaryKey().get(k), isText(k)));
        }
        return out.append(')').toString();
    }

    private String keyOrder(SqlDialect sql) throws SQLException {
        return keyTuple(sql).substring(1, keyTuple(sql).length() - 1);
    }

    private String keyList(SqlDialect sql) throws SQLException {
        return Ddl.names(sql, definition.primaryKey());
    }

    private String placeholders() {
        return "(" + "?, ".repeat(keyIndexes.length - 1) + "?)";
    }

    private boolean isText(int k) {
        return keyKinds[k] == CanonicalValue.TEXT;
    }
}
