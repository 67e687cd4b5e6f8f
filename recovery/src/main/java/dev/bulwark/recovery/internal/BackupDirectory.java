package dev.bulwark.recovery.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A backup being written: a hidden {@code .<name>.partial-<random>} directory next to the target,
 * readable by the owner only, renamed to the target name only when everything, manifest included,
 * is on disk. {@link #close()} without {@link #finish} deletes the partial directory, so an
 * interrupted backup never looks complete. Not thread-safe.
 */
public final class BackupDirectory implements AutoCloseable {

    /** The manifest's file name inside a backup. */
    public static final String MANIFEST = "manifest.json";
    /** The file holding the manifest's SHA-256. */
    public static final String MANIFEST_SHA256 = "manifest.sha256";
    /** The file holding the manifest's HMAC-SHA256 when the backup was made with a {@code ManifestKey}. */
    public static final String MANIFEST_HMAC = "manifest.hmac";

    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path partial;
    private final List<String> files = new ArrayList<>();
    private final java.util.Map<String, MessageDigest> written = new java.util.HashMap<>();
    private boolean finished;

    private BackupDirectory(Path target, Path partial) {
        this.target = target;
        this.partial = partial;
    }

    /**
     * Starts a backup that will become {@code target}.
     *
     * @throws FileAlreadyExistsException if {@code target} exists
     * @throws NoSuchFileException        if its parent directory does not
     */
    public static BackupDirectory begin(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (Files.exists(absolute)) {
            throw new FileAlreadyExistsException(absolute.toString(), null, "a backup directory must not exist yet");
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(String.valueOf(parent), null, "the parent directory of a backup must exist");
        }
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        Path partial = parent.resolve("." + absolute.getFileName() + ".partial-" + HexFormat.of().formatHex(random));
        createPrivateDirectory(partial);
        return new BackupDirectory(absolute, partial);
    }

    /** The directory being written (its name is temporary). */
    public Path partialPath() {
        return partial;
    }

    /** Opens a new owner-only file at a relative path, creating its parent directories. */
    public OutputStream newFile(String relative) throws IOException {
        Path file = register(relative);
        Files.createFile(file, privateFile(file));
        // Digested as it is written: the manifest's SHA-256 then costs no second read of the file.
        MessageDigest digest = Sha256.newDigest();
        written.put(relative, digest);
        return new DigestOutputStream(new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16),
                digest);
    }

    /** Reserves a relative path for a file that something else (a driver) will write. */
    public Path reserve(String relative) throws IOException {
        return register(relative);
    }

    private Path register(String relative) throws IOException {
        Path file = partial.resolve(relative).normalize();
        if (!file.startsWith(partial) || files.contains(relative)) {
            throw new IllegalArgumentException("backup file path " + relative + " is outside the backup or used twice");
        }
        Path parent = file.getParent();
        if (!Files.isDirectory(parent)) {
            createPrivateDirectory(parent);
        }
        files.add(relative);
        return file;
    }

    /**
     * Completes the backup: makes every file owner-only, records its SHA-256 and size in the manifest,
     * writes and syncs the manifest and its checksum, and renames the directory to its final name.
     *
     * @return the manifest as written
     */
    public Manifest finish(Manifest withoutFiles) throws IOException {
        return finish(withoutFiles, null);
    }

    /**
     * {@link #finish(Manifest)}, also writing {@link #MANIFEST_HMAC} with {@code hmac}'s hex of the manifest's
     * bytes when it is not null.
     */
    public Manifest finish(Manifest withoutFiles, Function<byte[], String> hmac) throws IOException {
        List<Manifest.FileEntry> entries = new ArrayList<>();
        for (String relative : files) {
            Path file = partial.resolve(relative);
            restrict(file, FILE_MODE);
            sync(file);
            MessageDigest digest = written.get(relative); // files a driver wrote are read back instead
            String sha256 = digest != null ? Sha256.hex(digest) : Sha256.ofFile(file);
            entries.add(new Manifest.FileEntry(relative, sha256, Files.size(file)));
        }
        Manifest manifest = new Manifest(withoutFiles.formatVersion(), withoutFiles.bulwarkVersion(),
                withoutFiles.createdAt(), withoutFiles.source(), withoutFiles.dialect(), withoutFiles.format(),
                withoutFiles.tables(), entries);
        byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
        writePrivate(partial.resolve(MANIFEST), json);
        var digest = Sha256.newDigest();
        digest.update(json);
        writePrivate(partial.resolve(MANIFEST_SHA256), (Sha256.hex(digest) + "  " + MANIFEST + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (hmac != null) {
            writePrivate(partial.resolve(MANIFEST_HMAC), (hmac.apply(json) + "  " + MANIFEST + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + partial + " atomically to " + target
                    + "; backups need a file system with atomic rename", e);
        }
        syncDirectory(target.getParent());
        finished = true;
        return manifest;
    }

    /** Deletes the partial directory unless {@link #finish} succeeded. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            deleteRecursively(partial);
        }
    }

    /** Deletes a directory tree; missing is fine. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.createFile(file, privateFile(file));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself has already happened.
            org.slf4j.LoggerFactory.getLogger(BackupDirectory.class)
                    .debug("could not fsync directory {}: {}", dir, e.toString());
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (isPosix(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        } else {
            Files.createDirectory(dir);
        }
    }

    private static FileAttribute<?>[] privateFile(Path file) {
        return isPosix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
    }

    private static void restrict(Path file, Set<PosixFilePermission> mode) throws IOException {
        if (isPosix(file)) {
            Files.setPosixFilePermissions(file, mode);
        }
    }

    private static boolean isPosix(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
