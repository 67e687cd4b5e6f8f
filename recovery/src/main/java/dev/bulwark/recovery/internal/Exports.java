package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Chooses the export for a database family. */
public final class Exports {

    private Exports() {
    }

    public static List<Manifest.TableEntry> export(Dialect dialect, Connection connection, List<String> tables,
                                                   BackupDirectory dir) throws SQLException, IOException {
        return export(dialect, connection, tables, dir, false);
    }

    /**
     * Exports as {@link #export(Dialect, Connection, List, BackupDirectory)} does, or, when
     * {@code currentTransaction}, inside the connection's open transaction (seeing its own uncommitted
     * changes, leaving it open). SQLite's backup API cannot copy from a connection inside a write
     * transaction (and sqlite-jdbc does not tell whether one is open), so there the tables are read with
     * SELECTs into COPY-text files, as from MariaDB, inside a SAVEPOINT (which opens a read transaction
     * when none is open, and nests in an open one); the manifest's format is then {@link Manifest#COPY_TEXT}.
     */
    public static List<Manifest.TableEntry> export(Dialect dialect, Connection connection, List<String> tables,
                                                   BackupDirectory dir, boolean currentTransaction)
            throws SQLException, IOException {
        return switch (dialect) {
            case POSTGRESQL -> PostgresExport.export(connection, tables, dir, currentTransaction);
            case MYSQL -> MariaDbExport.export(connection, tables, dir, currentTransaction);
            case SQLITE -> currentTransaction ? inSavepoint(connection, tables, dir)
                    : SqliteExport.export(connection, tables, dir);
            default -> throw new RecoveryException("backups of " + dialect + " databases are not supported"
                    + " (PostgreSQL, MariaDB/MySQL and SQLite are)", RecoveryException.NOT_SUPPORTED);
        };
    }

    private static List<Manifest.TableEntry> inSavepoint(Connection connection, List<String> tables, BackupDirectory dir)
            throws SQLException, IOException {
        try (Statement s = connection.createStatement()) {
            s.execute("SAVEPOINT bulwark_snapshot");
        }
        boolean done = false;
        try {
            List<Manifest.TableEntry> entries = MariaDbExport.export(connection, tables, dir, true);
            done = true;
            return entries;
        } finally {
            try (Statement s = connection.createStatement()) {
                if (!done) {
                    s.execute("ROLLBACK TO bulwark_snapshot");
                }
                s.execute("RELEASE bulwark_snapshot");
            }
        }
    }
}
