package dev.bulwark.recovery.internal;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;
import java.util.Locale;

/** Inserts rows with batched, parameterised INSERTs: from a result set or from a COPY text file. */
final class RowInserter {

    private RowInserter() {
    }

    static String insertSql(SqlDialect sql, TableDefinition table) throws SQLException {
        return "INSERT INTO " + sql.quote(table.name()) + " (" + Snapshot.columnList(sql, table) + ") VALUES ("
                + "?, ".repeat(table.columns().size() - 1) + "?)";
    }

    static long insertAll(Connection target, SqlDialect sql, TableDefinition table, ResultSet rows) throws SQLException {
        int count = table.columns().size();
        long n = 0;
        try (PreparedStatement ps = target.prepareStatement(insertSql(sql, table))) {
            while (rows.next()) {
                for (int i = 1; i <= count; i++) {
                    ps.setObject(i, rows.getObject(i));
                }
                ps.addBatch();
                if (++n % Restorer.batchSize() == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        return n;
    }

    static long insertCopyText(Connection target, SqlDialect sql, TableDefinition table, String fileName,
                               InputStream input) throws SQLException, IOException {
        int count = table.columns().size();
        boolean[] binary = new boolean[count];
        for (int i = 0; i < count; i++) {
            String type = table.columns().get(i).type().toLowerCase(Locale.ROOT);
            binary[i] = type.contains("blob") || type.contains("binary") || type.equals("bytea");
        }
        long n = 0;
        try (Reader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
             PreparedStatement ps = target.prepareStatement(insertSql(sql, table))) {
            for (String[] row = CopyText.readRow(in); row != null; row = CopyText.readRow(in)) {
                if (row.length != count) {
                    throw new IOException(fileName + ": row " + (n + 1) + " has " + row.length
                            + " fields, the table has " + count + " columns");
                }
                for (int i = 0; i < count; i++) {
                    if (row[i] == null) {
                        ps.setNull(i + 1, binary[i] ? Types.VARBINARY : Types.VARCHAR);
                    } else if (binary[i]) {
                        ps.setBytes(i + 1, hex(row[i], fileName, n + 1, i + 1));
                    } else {
                        ps.setString(i + 1, row[i]);
                    }
                }
                ps.addBatch();
                if (++n % Restorer.batchSize() == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        return n;
    }

    /** A binary field's bytes; a field that is not hex makes the file unreadable as its format (no value in the message). */
    private static byte[] hex(String field, String fileName, long row, int column) throws IOException {
        try {
            return HexFormat.of().parseHex(field);
        } catch (IllegalArgumentException e) {
            throw new IOException(fileName + ": row " + row + " column " + column + " is not hexadecimal (a binary column)");
        }
    }
}
