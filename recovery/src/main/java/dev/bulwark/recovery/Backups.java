package dev.bulwark.recovery;

import dev.bulwark.core.Dialect;
import dev.bulwark.core.Faults;
import dev.bulwark.jdbc.internal.SqlExceptions;
import dev.bulwark.recovery.internal.BackupDirectory;
import dev.bulwark.recovery.internal.Exports;
import dev.bulwark.recovery.internal.Manifest;
import dev.bulwark.recovery.internal.ManifestFiles;
import dev.bulwark.recovery.internal.MaskedUrl;
import dev.bulwark.recovery.internal.Restorer;
import dev.bulwark.recovery.internal.Version;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified backups: create a consistent backup while writers continue, verify its files, restore it
 * (checked table by table against the recorded {@link TableChecksum}s), and prune old ones.
 *
 * <pre>{@code
 * Backup backup = Backups.create(dataSource, Path.of("/var/backups/shop/2024-06-01"), BackupOptions.defaults());
 * VerificationReport report = Backups.verify(backup.directory());
 * Backups.restore(backup.directory(), freshDataSource, RestoreOptions.defaults());
 * Backups.prune(Path.of("/var/backups/shop"), Retention.keepLast(7));
 * }</pre>
 *
 * <p>PostgreSQL tables are exported with COPY in one read-only REPEATABLE READ transaction; MariaDB
 * tables with SELECTs inside {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}; SQLite through its
 * online backup API. A backup is written to a hidden temporary directory and renamed when complete;
 * its directory and files are readable by the owner only. Thread-safe: every method works on its own
 * connection and directory.
 */
public final class Backups {

    /** How far in the future a manifest's {@code createdAt} may be (clocks differ) and still order {@link #prune}. */
    public static final Duration PRUNE_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

    private Backups() {
    }

    /**
     * Backs up the tables of the data source's current schema into {@code directory}.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code directory} exists
     * @throws java.nio.file.NoSuchFileException         if its parent does not
     * @throws RecoveryException                         for an unknown or unsafe table name, or an unsupported database
     * @throws SQLException                              if the database fails (no complete-looking backup is left behind)
     * @throws IOException                               if writing fails (likewise)
     */
    public static Backup create(DataSource dataSource, Path directory, BackupOptions options)
            throws SQLException, IOException {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        try (Connection connection = dataSource.getConnection(); BackupDirectory dir = BackupDirectory.begin(directory)) {
            Dialect dialect = Dialect.fromMetaData(connection.getMetaData());
            String source = MaskedUrl.of(connection.getMetaData().getURL());
            Instant started = Instant.now();
            List<Manifest.TableEntry> tables = Exports.export(dialect, connection, options.tables(), dir);
            ManifestKey key = options.manifestKey();
            Manifest manifest = dir.finish(new Manifest(Manifest.FORMAT_VERSION, Version.current(), started, source,
                    dialect, dialect == Dialect.SQLITE ? Manifest.SQLITE_FILE : Manifest.COPY_TEXT, tables, List.of()),
                    key == null ? null : key::hmac);
            LOG.info("backup of {} tables from {} written to {}", tables.size(), source, directory);
            return ManifestFiles.view(directory.toAbsolutePath().normalize(), manifest);
        }
    }

    /**
     * Reads a backup's manifest without checking its files (see {@link #verify}).
     *
     * @throws RecoveryException (XX001) if the directory holds no complete backup or the manifest is malformed
     * @throws IOException       if it cannot be read
     */
    public static Backup open(Path directory) throws SQLException, IOException {
        Path dir = directory.toAbsolutePath().normalize();
        return ManifestFiles.view(dir, ManifestFiles.read(dir));
    }

    /**
     * Recomputes the SHA-256 of the manifest and of every file and reports each mismatch, missing file
     * and unexpected file.
     *
     * @throws RecoveryException (XX001) if the directory holds no complete backup
     * @throws IOException       if a file cannot be read
     */
    public static VerificationReport verify(Path directory) throws SQLException, IOException {
        return ManifestFiles.verify(directory.toAbsolutePath().normalize());
    }

    /**
     * {@link #verify(Path)}, and also checks that {@code manifest.hmac} authenticates the manifest with
     * {@code key}: a missing or different HMAC is a mismatch of {@code manifest.hmac}. With the key, the
     * report is intact only for a backup written by a holder of the key and unchanged since.
     *
     * @throws RecoveryException (XX001) if the directory holds no complete backup
     * @throws IOException       if a file cannot be read
     */
    public static VerificationReport verify(Path directory, ManifestKey key) throws SQLException, IOException {
        Objects.requireNonNull(key, "key");
        Path dir = directory.toAbsolutePath().normalize();
        VerificationReport files = ManifestFiles.verify(dir);
        VerificationReport.Mismatch hmac = hmacMismatch(dir, ManifestFiles.readBytes(dir), key);
        if (hmac == null) {
            return files;
        }
        List<VerificationReport.Mismatch> all = new ArrayList<>(files.mismatches());
        all.add(hmac);
        return new VerificationReport(dir, files.filesChecked() + 1, all);
    }

    /** Null when {@code manifest.hmac} authenticates {@code manifest} with {@code key}. */
    private static VerificationReport.Mismatch hmacMismatch(Path dir, byte[] manifest, ManifestKey key) throws IOException {
        Path file = dir.resolve(BackupDirectory.MANIFEST_HMAC);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new VerificationReport.Mismatch(BackupDirectory.MANIFEST_HMAC, "HMAC-SHA256 of manifest.json", "missing");
        }
        String[] recorded = Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\s+");
        return key.authenticates(manifest, recorded[0]) ? null : new VerificationReport.Mismatch(
                BackupDirectory.MANIFEST_HMAC, "HMAC-SHA256 of manifest.json with the configured key", "a different HMAC");
    }

    /**
     * Restores a backup into a database of the same kind: verifies the files first and refuses a
     * corrupted backup; recreates missing tables from the recorded definitions in foreign-key order;
     * refuses non-empty tables unless {@link RestoreOptions#replaceNonEmptyTables()}; loads every table
     * in one transaction (MariaDB: CREATE TABLE commits implicitly, the rows still load in one) and
     * compares each table's checksum with the manifest before committing.
     *
     * @return the checksums of the restored tables, equal to the backup's
     * @throws RecoveryException XX001 for a corrupted backup (a file that does not match its digest, a
     *                           manifest that breaks the rules of a backup directory, a missing or wrong HMAC
     *                           when a key is given, a data file that cannot be read or parsed) or a restored
     *                           table that does not match (rolled back), 55000 for non-empty target tables or
     *                           a replace that would cascade outside the backup, 0A000 for another kind of
     *                           database, 42622 for a name the target would truncate; a database failure while
     *                           loading a table, with the driver's SQLState and the driver's exception as cause
     * @throws SQLException      if the database fails otherwise (rolled back)
     * @throws IOException       if the manifest or the directory cannot be read
     */
    public static List<TableChecksum> restore(Path directory, DataSource target, RestoreOptions options)
            throws SQLException, IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        Path dir = directory.toAbsolutePath().normalize();
        // The manifest is read once: the bytes authenticated are the bytes parsed.
        byte[] manifestBytes = ManifestFiles.readBytes(dir);
        if (options.manifestKey() != null) {
            VerificationReport.Mismatch hmac = hmacMismatch(dir, manifestBytes, options.manifestKey());
            if (hmac != null) {
                throw new RecoveryException("refusing to restore " + dir + ": " + hmac.file() + " is " + hmac.actual()
                        + ", the manifest is not authenticated by the configured key", RecoveryException.CORRUPTED);
            }
        }
        VerificationReport report = verify(dir);
        if (!report.isIntact()) {
            throw new RecoveryException("refusing to restore a corrupted " + report, RecoveryException.CORRUPTED);
        }
        Manifest manifest = ManifestFiles.parse(dir, manifestBytes);
        if (!Arrays.equals(manifestBytes, ManifestFiles.readBytes(dir))) {
            throw new RecoveryException("refusing to restore " + dir + ": " + BackupDirectory.MANIFEST
                    + " changed while it was being verified", RecoveryException.CORRUPTED);
        }
        try (Connection connection = target.getConnection()) {
            return new Restorer(dir, manifest, options.replaceNonEmptyTables(), options.cascadeOutsideBackup())
                    .restore(connection);
        } catch (SQLException e) {
            // a COPY or INSERT that failed on a row: the driver's message quotes the row (pgjdbc's Detail and Where)
            throw SqlExceptions.createdByBulwark(e) ? e : SqlExceptions.translate(e, Faults.classify(e));
        }
    }

    /** {@link #prune(Path, Retention, Clock)} with the system clock. */
    public static List<Path> prune(Path root, Retention retention) throws SQLException, IOException {
        return prune(root, retention, Clock.systemUTC());
    }

    /**
     * Deletes the complete backups directly under {@code root} that the retention does not keep, newest first
     * by the manifests' {@code createdAt}; other directories (no manifest), partial backups and directories whose
     * manifest cannot be read are left alone (logged at WARN).
     *
     * <p>Without a key, {@code createdAt} is not authenticated: a manifest dated more than
     * {@link #PRUNE_CLOCK_SKEW} after {@code clock}'s now is not trusted for ordering (a forged date in the far
     * future would otherwise count as the newest backup forever); such a directory is left alone, logged at WARN,
     * neither deleted nor counted. Use {@link #prune(Path, Retention, ManifestKey, Clock)} when anyone but the
     * backups' owner can write under {@code root}.
     *
     * @return the deleted backup directories
     * @throws IOException if listing or deleting fails
     */
    public static List<Path> prune(Path root, Retention retention, Clock clock) throws SQLException, IOException {
        return prune(root, retention, null, clock);
    }

    /** {@link #prune(Path, Retention, ManifestKey, Clock)} with the system clock. */
    public static List<Path> prune(Path root, Retention retention, ManifestKey key) throws SQLException, IOException {
        return prune(root, retention, Objects.requireNonNull(key, "key"), Clock.systemUTC());
    }

    /**
     * {@link #prune(Path, Retention, Clock)} counting only the backups whose {@code manifest.hmac} authenticates
     * their manifest with {@code key} (as {@link #verify(Path, ManifestKey)} checks): a directory whose manifest
     * does not authenticate is left alone, logged at WARN, neither deleted nor counted, so directories added by
     * someone without the key cannot make prune delete a genuine backup.
     *
     * @return the deleted backup directories
     * @throws IOException if listing or deleting fails
     */
    public static List<Path> prune(Path root, Retention retention, ManifestKey key, Clock clock)
            throws SQLException, IOException {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(clock, "clock");
        Instant now = clock.instant();
        List<Backup> backups = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                if (Files.isRegularFile(child.resolve(BackupDirectory.MANIFEST))) {
                    Backup backup = prunable(child.toAbsolutePath().normalize(), key, now);
                    if (backup != null) {
                        backups.add(backup);
                    }
                }
            }
        }
        backups.sort(Comparator.comparing(Backup::createdAt).reversed());
        List<Path> deleted = new ArrayList<>();
        for (int i = 0; i < backups.size(); i++) {
            Backup backup = backups.get(i);
            boolean keep = i < retention.keepLastCount()
                    || (retention.maxAge() != null && backup.createdAt().isAfter(now.minus(retention.maxAge())));
            if (!keep) {
                BackupDirectory.deleteRecursively(backup.directory());
                deleted.add(backup.directory());
                LOG.info("pruned backup {} created {}", backup.directory(), backup.createdAt());
            }
        }
        return deleted;
    }

    /** The backup in {@code dir} if prune may count and delete it; null (logged) when it is left alone. */
    private static Backup prunable(Path dir, ManifestKey key, Instant now) throws IOException {
        try {
            // The manifest is read once: the bytes authenticated are the bytes parsed.
            byte[] bytes = ManifestFiles.readBytes(dir);
            if (key != null && hmacMismatch(dir, bytes, key) != null) {
                LOG.warn("prune: leaving {} alone: its manifest is not authenticated by the configured key", dir);
                return null;
            }
            Backup backup = ManifestFiles.view(dir, ManifestFiles.parse(dir, bytes));
            if (backup.createdAt().isAfter(now.plus(PRUNE_CLOCK_SKEW))) {
                LOG.warn("prune: leaving {} alone: its manifest says it was created {}, in the future", dir,
                        backup.createdAt());
                return null;
            }
            return backup;
        } catch (RecoveryException e) { // not a backup Bulwark can read: left alone, like other directories
            LOG.warn("prune: leaving {} alone: {}", dir, e.getMessage());
            return null;
        }
    }
}
