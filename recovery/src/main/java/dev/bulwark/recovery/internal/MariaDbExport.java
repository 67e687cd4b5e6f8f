package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.TableChecksum;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Exports MariaDB/MySQL tables inside {@code START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY}
 * (InnoDB), streaming a SELECT per table into {@link CopyText} files: binary columns as hex, booleans
 * as {@code 1}/{@code 0}, every other value as the driver's text.
 */
final class MariaDbExport {

    private MariaDbExport() {
    }

    static List<Manifest.TableEntry> export(Connection connection, List<String> tables, BackupDirectory dir,
                                            boolean currentTransaction) throws SQLException, IOException {
        return Snapshot.inside(connection, currentTransaction, () -> {
            Catalog catalog = new Catalog(connection);
            SqlDialect sql = catalog.dialect();
            List<String> names = tables.isEmpty() ? catalog.tables() : tables;
            List<TableDefinition> definitions = new ArrayList<>();
            for (String name : names) {
                definitions.add(catalog.describe(name));
            }
            List<Manifest.TableEntry> entries = new ArrayList<>();
            for (TableDefinition definition : definitions) {
                String file = Snapshot.fileName(entries.size());
                try (Writer out = new BufferedWriter(new OutputStreamWriter(dir.newFile(file), StandardCharsets.UTF_8))) {
                    exportTable(connection, sql, definition, out);
                }
                TableChecksum sum = TableChecksum.compute(connection, definition.name());
                entries.add(new Manifest.TableEntry(definition, sum.rowCount(), sum.sha256(), file));
            }
            return entries;
        }, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }

    private static void exportTable(Connection connection, SqlDialect sql, TableDefinition definition, Writer out)
            throws SQLException, IOException {
        String query = "SELECT " + Snapshot.columnList(sql, definition) + " FROM " + sql.quote(definition.name());
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery(query)) {
                int count = rs.getMetaData().getColumnCount();
                CanonicalValue[] kinds = new CanonicalValue[count];
                for (int i = 0; i < count; i++) {
                    kinds[i] = CanonicalValue.of(rs.getMetaData(), i + 1);
                }
                String[] fields = new String[count];
                while (rs.next()) {
                    for (int i = 0; i < count; i++) {
                        fields[i] = switch (kinds[i]) {
                            case BYTES -> {
                                byte[] bytes = rs.getBytes(i + 1);
                                yield bytes == null ? null : HexFormat.of().formatHex(bytes);
                            }
                            case BOOLEAN -> {
                                boolean value = rs.getBoolean(i + 1);
                                yield rs.wasNull() ? null : value ? "1" : "0";
                            }
                            default -> rs.getString(i + 1);
                        };
                    }
                    CopyText.writeRow(out, fields);
                }
            }
        }
    }
}
