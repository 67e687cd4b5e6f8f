package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;
import dev.bulwark.recovery.TableChecksum;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a verified backup into a database of the same kind, in one transaction where the database
 * allows (PostgreSQL, SQLite; MariaDB commits CREATE TABLE implicitly, so missing tables are created
 * first and the rows then loaded in one transaction), and checks every table against the manifest's
 * table checksum before committing.
 */
public final class Restorer {

    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
    private static final int BATCH = 500;

    private final Path backup;
    private final Manifest manifest;
    private final boolean replaceNonEmpty;
    private final boolean reachOutside;
    private Path sqliteImage; // a private, verified copy of a SQLite backup's database file

    /**
     * @param replaceNonEmpty delete the rows of non-empty target tables instead of refusing
     * @param reachOutside    let that delete reach tables outside the backup (their foreign keys' ON DELETE
     *                        rules, inheriting tables, delete triggers) instead of refusing; see {@link DeleteReach}
     */
    public Restorer(Path backup, Manifest manifest, boolean replaceNonEmpty, boolean reachOutside) {
        this.backup = backup;
        this.manifest = manifest;
        this.replaceNonEmpty = replaceNonEmpty;
        this.reachOutside = reachOutside;
    }

    /** Restores every table of the manifest; returns the checksums read back. */
    public List<TableChecksum> restore(Connection target) throws SQLException, IOException {
        Catalog catalog = new Catalog(target);
        SqlDialect sql = catalog.dialect();
        if (sql.dialect() != manifest.dialect()) {
            throw new RecoveryException("this backup is of a " + manifest.dialect() + " database and can only be restored"
                    + " into one (the target is " + sql.dialect() + "); use TableCopy between different databases",
                    RecoveryException.NOT_SUPPORTED);
        }
        List<TableDefinition> ordered = ForeignKeyOrder.sort(manifest.tables().stream()
                .map(Manifest.TableEntry::definition).toList());
        for (TableDefinition table : ordered) {
            sql.checkLength("manifest.json " + field(table.name()) + ".name", table.name());
            for (TableDefinition.Column column : table.columns()) {
                sql.checkLength("manifest.json " + field(table.name()) + ".columns", column.name());
            }
            for (String column : table.primaryKey()) {
                sql.checkLength("manifest.json " + field(table.name()) + ".primaryKey", column);
            }
            for (TableDefinition.ForeignKey key : table.foreignKeys()) { // PostgreSQL would truncate REFERENCES too
                sql.checkLength("manifest.json " + field(table.name()) + ".foreignKeys[].references", key.referencedTable());
                for (String column : key.columns()) {
                    sql.checkLength("manifest.json " + field(table.name()) + ".foreignKeys[].columns", column);
                }
                for (String column : key.referencedColumns()) {
                    sql.checkLength("manifest.json " + field(table.name()) + ".foreignKeys[].referencedColumns", column);
                }
            }
        }
        List<String> existing = catalog.tables();
        List<TableDefinition> missing = new ArrayList<>();
        List<String> nonEmpty = new ArrayList<>();
        List<TableDefinition> toEmpty = new ArrayList<>();
        for (TableDefinition table : ordered) {
            if (!existing.contains(table.name())) {
                missing.add(table);
                continue;
            }
            List<String> columns = catalog.describe(table.name()).columnNames();
            if (!columns.equals(table.columnNames())) {
                throw new RecoveryException("table " + SqlDialect.printable(table.name()) + " exists in the target with columns "
                        + columns + " but the backup has " + table.columnNames(), RecoveryException.WRONG_STATE);
            }
            if (hasRows(target, sql, table.name())) {
                nonEmpty.add(SqlDialect.printable(table.name()));
                toEmpty.add(table);
            }
        }
        if (!nonEmpty.isEmpty() && !replaceNonEmpty) {
            throw new RecoveryException("refusing to restore into non-empty tables " + nonEmpty
                    + " (RestoreOptions.withReplaceNonEmptyTables(true) replaces their rows)", RecoveryException.WRONG_STATE);
        }
        for (TableDefinition table : missing) {
            checkTypes(table);
        }
        if (replaceNonEmpty && !reachOutside) {
            DeleteReach.refuseOutside(catalog, ordered.stream().map(TableDefinition::name).toList(),
                    toEmpty.stream().map(TableDefinition::name).toList(), "replace the rows of the backup's tables",
                    "RestoreOptions.withCascadeOutsideBackup(true) (CLI: --cascade-outside-backup)");
        }
        boolean autoCommit = target.getAutoCommit();
        boolean transactionalDdl = sql.dialect() != Dialect.MYSQL;
        if (!transactionalDdl) {
            createTables(target, sql, missing);
        }
        target.setAutoCommit(false);
        boolean committed = false;
        try {
            if (transactionalDdl) {
                createTables(target, sql, missing);
            }
            if (replaceNonEmpty) {
                for (int i = ordered.size() - 1; i >= 0; i--) {
                    if (!missing.contains(ordered.get(i))) {
                        try (Statement s = target.createStatement()) {
                            s.executeUpdate("DELETE FROM " + sql.quote(ordered.get(i).name()));
                        }
                    }
                }
            }
            List<TableChecksum> sums = new ArrayList<>();
            for (TableDefinition table : ordered) {
                Manifest.TableEntry entry = entryFor(table.name());
                loadReporting(target, sql, entry);
                TableChecksum sum = TableChecksum.compute(target, table.name());
                if (sum.rowCount() != entry.rows() || !sum.sha256().equals(entry.checksum())) {
                    throw new RecoveryException("restored table " + SqlDialect.printable(table.name())
                            + " does not match the backup: expected " + entry.rows() + " rows sha256 " + entry.checksum()
                            + ", got " + sum.rowCount() + " rows sha256 " + sum.sha256() + "; rolled back",
                            RecoveryException.CORRUPTED);
                }
                sums.add(sum);
            }
            target.commit();
            committed = true;
            LOG.info("restored {} tables from {}", sums.size(), backup);
            return sums;
        } finally {
            if (!committed) {
                rollback(target);
            }
            target.setAutoCommit(autoCommit);
            if (sqliteImage != null) {
                Files.deleteIfExists(sqliteImage);
            }
        }
    }

    private void createTables(Connection target, SqlDialect sql, List<TableDefinition> tables) throws SQLException {
        for (TableDefinition table : tables) {
            try (Statement s = target.createStatement()) {
                s.execute(Ddl.createTable(sql, table));
            }
        }
    }

    /**
     * The driver's failure as a {@link RecoveryException} naming the table, its message redacted to one line;
     * a data file that cannot be read or parsed as one naming the manifest field (XX001).
     */
    private void loadReporting(Connection target, SqlDialect sql, Manifest.TableEntry entry) throws SQLException, IOException {
        try {
            load(target, sql, entry);
        } catch (RecoveryException e) {
            throw e;
        } catch (SQLException e) {
            throw new RecoveryException("restoring table " + SqlDialect.printable(entry.definition().name()) + " failed: "
                    + ServerText.oneLine(e) + "; rolled back", e.getSQLState() == null ? "XX000" : e.getSQLState(), e);
        } catch (IOException e) {
            // A data file that is not what the manifest says it is (a malformed COPY text, say) is a corrupted backup.
            throw new RecoveryException("restoring table " + SqlDialect.printable(entry.definition().name()) + " failed:"
                    + " backup " + backup + ": " + field(entry.definition().name()) + ".file "
                    + SqlDialect.printable(entry.file()) + " could not be read: " + e.getMessage() + "; rolled back",
                    RecoveryException.CORRUPTED, e);
        }
    }

    private void load(Connection target, SqlDialect sql, Manifest.TableEntry entry) throws SQLException, IOException {
        String field = field(entry.definition().name()) + ".file";
        Path file = ManifestFiles.dataFile(backup, entry.file(), field);
        TableDefinition table = entry.definition();
        if (manifest.format().equals(Manifest.SQLITE_FILE)) {
            if (sqliteImage == null) {
                sqliteImage = verifiedCopy(file, entry, field);
            }
            try (Connection source = SqliteExport.openReadOnly(sqliteImage)) {
                refuseUnlessTable(source, table.name(), field, entry.file());
                try (Statement s = source.createStatement();
                     ResultSet rs = s.executeQuery("SELECT " + Snapshot.columnList(sql, table) + " FROM " + sql.quote(table.name()))) {
                    RowInserter.insertAll(target, sql, table, rs);
                }
            }
            return;
        }
        // The bytes loaded are digested as they are read and must be the ones verified: a file swapped
        // between verify and load is caught here, before the commit.
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
            if (sql.dialect() == Dialect.POSTGRESQL) {
                PostgresImport.copyIn(target, sql, table, in);
                in.transferTo(OutputStream.nullOutputStream()); // COPY reads to the end; this makes sure
            } else {
                RowInserter.insertCopyText(target, sql, table, file.getFileName().toString(), in); // reads to the end
            }
        }
        checkDigest(entry, field, Sha256.hex(digest));
    }

    /**
     * The image is data too: a name that is a VIEW there would run the view's query (a recursive CTE never ends),
     * so only a base table of the image's main schema is read.
     */
    private void refuseUnlessTable(Connection image, String name, String field, String file) throws SQLException {
        try (java.sql.PreparedStatement ps = image.prepareStatement(
                "SELECT type FROM main.sqlite_master WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                String type = rs.next() ? rs.getString(1) : "missing";
                if (!type.equals("table") || rs.next()) {
                    throw new RecoveryException("backup " + backup + ": " + field + " " + SqlDialect.printable(file) + ": "
                            + SqlDialect.printable(name) + " in the SQLite image is not a table"
                            + " (" + type + "); refusing to read it", RecoveryException.CORRUPTED);
                }
            }
        }
    }

    private void checkDigest(Manifest.TableEntry entry, String field, String actual) throws RecoveryException {
        String expected = manifest.files().stream().filter(f -> f.path().equals(entry.file()))
                .map(Manifest.FileEntry::sha256).findFirst().orElse("unlisted");
        if (!actual.equals(expected)) {
            throw new RecoveryException("backup " + backup + ": " + field + " " + SqlDialect.printable(entry.file())
                    + " changed while it was restored: sha256 " + actual + ", the manifest says " + expected
                    + "; rolled back", RecoveryException.CORRUPTED);
        }
    }

    /**
     * SQLite reads its file itself, so it reads a private copy whose digest was computed while copying:
     * the bytes loaded are the bytes verified, and nothing (journal files, a created file) is written
     * into the backup directory.
     */
    private Path verifiedCopy(Path file, Manifest.TableEntry entry, String field) throws IOException, RecoveryException {
        Path copy = Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).supportsFileAttributeView("posix")
                ? Files.createTempFile("bulwark-restore-", ".sqlite",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("bulwark-restore-", ".sqlite");
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest);
             OutputStream out = Files.newOutputStream(copy)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        try {
            checkDigest(entry, field, Sha256.hex(digest));
        } catch (RecoveryException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return copy;
    }

    /** Types are written into CREATE TABLE only when they match {@link ColumnType}'s grammar. */
    private void checkTypes(TableDefinition table) throws RecoveryException {
        for (int i = 0; i < table.columns().size(); i++) {
            String type = table.columns().get(i).type();
            if (!ColumnType.isSafe(type)) {
                throw new RecoveryException("backup " + backup + ": manifest.json " + field(table.name()) + ".columns[" + i
                        + "].type " + SqlDialect.printable(type) + " is not a plain column type (a name, a precision,"
                        + " an array marker); refusing to write it into CREATE TABLE. If the backup is genuine,"
                        + " create the table yourself and restore into it", RecoveryException.CORRUPTED);
            }
        }
    }

    private String field(String table) {
        for (int i = 0; i < manifest.tables().size(); i++) {
            if (manifest.tables().get(i).definition().name().equals(table)) {
                return "tables[" + i + "]";
            }
        }
        return "tables[?]";
    }

    private Manifest.TableEntry entryFor(String name) {
        return manifest.tables().stream().filter(t -> t.definition().name().equals(name)).findFirst().orElseThrow();
    }

    static boolean hasRows(Connection target, SqlDialect sql, String table) throws SQLException {
        try (Statement s = target.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM " + sql.quote(table) + " LIMIT 1")) {
            return rs.next();
        }
    }

    private static void rollback(Connection target) {
        try {
            target.rollback();
        } catch (SQLException e) {
            // The restore's own failure is what the caller needs; the rollback failure is logged beside it.
            LOG.warn("rollback after a failed restore failed too: {}", e.toString());
        }
    }

    static int batchSize() {
        return BATCH;
    }
}
