package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Chooses the export for a database family. */
public final class Exports {

    private Exports() {
    }

    public static List<Manifest.TableEntry> export(Dialect dialect, Connection connection, List<String> tables,
                                                   BackupDirectory dir) throws SQLException, IOException {
        return switch (dialect) {
            case POSTGRESQL -> PostgresExport.export(connection, tables, dir);
            case MYSQL -> MariaDbExport.export(connection, tables, dir);
            case SQLITE -> SqliteExport.export(connection, tables, dir);
            default -> throw new RecoveryException("backups of " + dialect + " databases are not supported"
                    + " (PostgreSQL, MariaDB/MySQL and SQLite are)", RecoveryException.NOT_SUPPORTED);
        };
    }
}
