package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;
import dev.bulwark.recovery.StatementSnapshot;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot directory: one backup directory per snapshot, named by its id
 * ({@code yyyyMMdd'T'HHmmssSSS'Z'-<8 hex>}, so names sort oldest first), and beside it {@code <id>.properties}
 * with the operation and the tables, written (atomically) after the backup is complete. A backup without
 * its properties file is not a snapshot (it was interrupted) and is left alone. Thread-safe.
 */
public final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong LAST_MILLIS = new AtomicLong(); // ids of one JVM strictly increase
    private static final String SUFFIX = ".properties";

    private final Path root;
    private final int keepLast;

    private SnapshotStore(Path root, int keepLast) {
        this.root = root;
        this.keepLast = keepLast;
    }

    /** The store under {@code root}, created if missing. */
    public static SnapshotStore open(Path root, int keepLast) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        return new SnapshotStore(dir, keepLast);
    }

    public Path root() {
        return root;
    }

    /** Backs up {@code tables} through {@code connection}, records the snapshot, then prunes old ones. */
    public StatementSnapshot take(Connection connection, String operation, List<String> tables)
            throws SQLException, IOException {
        long millis = Instant.now().toEpochMilli();
        Instant now = Instant.ofEpochMilli(LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, millis)));
        String id = STAMP.format(now) + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        Path dir = root.resolve(id);
        Manifest manifest;
        try (BackupDirectory backup = BackupDirectory.begin(dir)) {
            Dialect dialect = Dialect.fromMetaData(connection.getMetaData());
            // SQLite: always on the connection itself (see Exports), as a Bulwark unit's BEGIN keeps auto-commit on.
            boolean inTransaction = dialect == Dialect.SQLITE || !connection.getAutoCommit();
            List<Manifest.TableEntry> entries = Exports.export(dialect, connection, tables, backup, inTransaction);
            manifest = backup.finish(new Manifest(Manifest.FORMAT_VERSION, Version.current(), now,
                    MaskedUrl.of(connection.getMetaData().getURL()), dialect,
                    Manifest.COPY_TEXT, entries, List.of()));
        }
        Properties properties = new Properties();
        properties.setProperty("operation", operation);
        properties.setProperty("tables", Integer.toString(tables.size()));
        for (int i = 0; i < tables.size(); i++) {
            properties.setProperty("table." + i, tables.get(i));
        }
        Path temporary = root.resolve("." + id + SUFFIX + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(out, "Bulwark snapshot before a destructive statement");
        }
        Files.move(temporary, root.resolve(id + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
        prune();
        return new StatementSnapshot(id, manifest.createdAt(), operation, tables, dir);
    }

    /** The complete snapshots, newest first. */
    public List<StatementSnapshot> list() throws IOException {
        List<StatementSnapshot> snapshots = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SUFFIX) || !ID.matcher(name.substring(0, name.length() - SUFFIX.length())).matches()) {
                    continue;
                }
                String id = name.substring(0, name.length() - SUFFIX.length());
                Path dir = root.resolve(id);
                if (!Files.isRegularFile(dir.resolve(BackupDirectory.MANIFEST))) {
                    continue;
                }
                try {
                    snapshots.add(read(id, file, dir));
                } catch (NoSuchFileException pruned) {
                    // deleted by a concurrent prune between listing and reading: no longer a snapshot
                    LOG.debug("snapshot {} disappeared while listing: {}", id, pruned.getFile());
                }
            }
        }
        snapshots.sort(Comparator.comparing(StatementSnapshot::id).reversed());
        return snapshots;
    }

    private static StatementSnapshot read(String id, Path file, Path dir) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        List<String> tables = new ArrayList<>();
        int count = Integer.parseInt(properties.getProperty("tables", "0"));
        for (int i = 0; i < count; i++) {
            tables.add(properties.getProperty("table." + i));
        }
        Instant createdAt;
        try {
            createdAt = ManifestFiles.read(dir).createdAt();
        } catch (RecoveryException e) {
            throw new IOException("snapshot " + id + " has a damaged manifest: " + e.getMessage(), e);
        }
        return new StatementSnapshot(id, createdAt, properties.getProperty("operation", "?"), tables, dir);
    }

    /**
     * The backup directory of a snapshot.
     *
     * @throws RecoveryException 42602 for something that is not a snapshot id, 42P01 for an id not kept
     */
    public Path directoryOf(String id) throws RecoveryException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new RecoveryException("not a snapshot id: " + (id == null ? "null" : SqlDialect.printable(id))
                    + " (ids look like 20240601T120000000Z-0a1b2c3d; see list())", RecoveryException.INVALID_NAME);
        }
        Path dir = root.resolve(id);
        if (!Files.isRegularFile(root.resolve(id + SUFFIX)) || !Files.isRegularFile(dir.resolve(BackupDirectory.MANIFEST))) {
            throw new RecoveryException("no snapshot " + id + " in " + root + " (it may have been pruned)",
                    RecoveryException.UNKNOWN_TABLE);
        }
        return dir;
    }

    /** Deletes all but the newest {@code keepLast} snapshots. */
    private synchronized void prune() throws IOException {
        List<StatementSnapshot> all = list();
        for (int i = keepLast; i < all.size(); i++) {
            StatementSnapshot old = all.get(i);
            Files.deleteIfExists(root.resolve(old.id() + SUFFIX));
            BackupDirectory.deleteRecursively(old.directory());
            LOG.info("pruned snapshot {} ({} of {})", old.id(), old.operation(), old.tables());
        }
    }

    @Override
    public String toString() {
        return root + ", keep last " + keepLast;
    }
}
