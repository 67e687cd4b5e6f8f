package dev.bulwark.recovery.internal.forward;

import dev.bulwark.recovery.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The dead-letter directory: a write that failed at replay in a way that would fail again is kept here, as
 * {@code <sequence, 20 digits>.write} (the journal payload, unchanged) and {@code <sequence>.reason.txt}
 * (the fault's message, which never holds bind values). Each file is written to a temporary name, forced and
 * renamed, so it is complete or absent. Thread-safe.
 */
public final class DeadLetters {

    private final Path directory;

    /** Dead letters in {@code directory}, created on first use. */
    public DeadLetters(Path directory) {
        this.directory = directory;
    }

    /**
     * Keeps a record durably and returns the payload's file.
     *
     * @throws JournalException naming the directory if the files cannot be written
     */
    public Path keep(long sequence, byte[] payload, String reason) throws JournalException {
        String name = String.format("%020d", sequence);
        try {
            Files.createDirectories(directory);
            write(directory.resolve(name + ".reason.txt"), reason.getBytes(StandardCharsets.UTF_8));
            Path file = directory.resolve(name + ".write");
            write(file, payload);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
            return file;
        } catch (IOException e) {
            throw new JournalException("cannot keep the write at journal sequence " + sequence
                    + " in the dead-letter directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
