package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The journal directory: created and checked on open, locked against a second journal (in this or another
 * process), forced after files are created, renamed or deleted.
 *
 * <p>Thread-safe after {@link #open}; {@link #close()} must not race with other calls.
 */
final class JournalDirectory implements AutoCloseable {

    static final String LOCK_NAME = "journal.lock";
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private JournalDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static JournalDirectory open(Path directory) throws IOException {
        Path path = directory.toAbsolutePath();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new JournalException("journal directory " + path + " exists but is not a directory");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new JournalException("cannot create journal directory " + path + ": " + e, e);
        }
        if (!Files.isWritable(path)) {
            throw new JournalException("journal directory " + path + " is not writable");
        }
        Path lockFile = path.resolve(LOCK_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JournalException("cannot create lock file " + lockFile + ": " + e, e);
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } finally {
            if (lock == null) {
                channel.close();
            }
        }
        if (lock == null) {
            throw new JournalException("journal directory " + path + " is already open: " + lockFile
                    + " is locked by another Journal in this or another process");
        }
        return new JournalDirectory(path, channel, lock);
    }

    Path path() {
        return path;
    }

    /** Lists the segment files, oldest first. */
    List<Path> segmentFiles() throws IOException {
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            files.filter(file -> SegmentFormat.firstSequenceOf(file).isPresent()).forEach(segments::add);
        }
        segments.sort(Comparator.comparingLong(file -> SegmentFormat.firstSequenceOf(file).getAsLong()));
        return segments;
    }

    /** Makes file creations, renames and deletions in the directory durable. */
    void force() throws IOException {
        if (WINDOWS) {
            return; // a directory cannot be opened for fsync on Windows; NTFS journals its metadata
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new JournalException("cannot fsync journal directory " + path + ": " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
