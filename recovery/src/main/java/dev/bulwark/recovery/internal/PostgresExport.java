package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.TableChecksum;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports PostgreSQL tables with {@code COPY ... TO STDOUT}, all inside one read-only REPEATABLE READ
 * transaction, so the files and their table checksums are one consistent snapshot while writers go on.
 * Loaded only for PostgreSQL sources: pgjdbc is an optional dependency.
 */
final class PostgresExport {

    private PostgresExport() {
    }

    static List<Manifest.TableEntry> export(Connection connection, List<String> tables, BackupDirectory dir,
                                            boolean currentTransaction) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        return Snapshot.inside(connection, currentTransaction, () -> {
            Catalog catalog = new Catalog(connection);
            SqlDialect sql = catalog.dialect();
            List<String> names = tables.isEmpty() ? catalog.tables() : tables;
            List<Manifest.TableEntry> entries = new ArrayList<>();
            for (String name : names) {
                TableDefinition definition = catalog.describe(name);
                String file = Snapshot.fileName(entries.size());
                try (OutputStream out = dir.newFile(file)) {
                    copy.copyOut("COPY " + sql.quote(name) + " (" + Snapshot.columnList(sql, definition)
                            + ") TO STDOUT", out);
                }
                TableChecksum sum = TableChecksum.compute(connection, name);
                entries.add(new Manifest.TableEntry(definition, sum.rowCount(), sum.sha256(), file));
            }
            return entries;
        }, null);
    }
}
