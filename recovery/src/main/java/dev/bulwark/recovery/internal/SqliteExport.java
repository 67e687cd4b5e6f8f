package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.RecoveryException;
import dev.bulwark.recovery.TableChecksum;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Backs up a SQLite database with the online backup API (sqlite-jdbc's {@code backup to} command),
 * which copies a consistent image while other connections keep writing, then reads table definitions
 * and checksums from the copy itself.
 */
final class SqliteExport {

    /** The database file's name inside a backup. */
    static final String FILE = "database.sqlite";

    private SqliteExport() {
    }

    static List<Manifest.TableEntry> export(Connection connection, List<String> tables, BackupDirectory dir)
            throws SQLException, IOException {
        Path file = dir.reserve(FILE);
        String path = file.toString();
        if (path.indexOf('"') >= 0) {
            throw new RecoveryException("the backup path must not contain a double quote (sqlite-jdbc's backup"
                    + " command cannot express it): " + path, RecoveryException.INVALID_NAME);
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("backup to \"" + path + "\"");
        }
        try (Connection copy = open(file)) {
            try (Statement statement = copy.createStatement()) {
                // The copy keeps the source's journal mode; WAL would leave -wal/-shm files beside it.
                statement.execute("PRAGMA journal_mode=DELETE");
            }
            Catalog catalog = new Catalog(copy);
            List<String> names = tables.isEmpty() ? catalog.tables() : tables;
            List<Manifest.TableEntry> entries = new ArrayList<>();
            for (String name : names) {
                TableDefinition definition = catalog.describe(name);
                TableChecksum sum = TableChecksum.compute(copy, name);
                entries.add(new Manifest.TableEntry(definition, sum.rowCount(), sum.sha256(), FILE));
            }
            return entries;
        }
    }

    /** Opens a SQLite file that is part of a backup being written. */
    static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Opens an existing SQLite file of a backup read-only: it is never created or changed. */
    static Connection openReadOnly(Path file) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY, without SQLITE_OPEN_CREATE
        return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
    }
}
