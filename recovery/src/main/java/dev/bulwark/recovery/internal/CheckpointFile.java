package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalCorruptedException;
import dev.bulwark.recovery.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint file: the last applied sequence number, replaced atomically.
 *
 * <pre>
 * "checkpoint": magic "BWCP" (4) | version u16 = 1 | reserved u16 = 0 | sequence u64 | crc u32 = 20 bytes
 *   crc = CRC32C over the first 16 bytes
 * </pre>
 *
 * A new checkpoint is written to "checkpoint.tmp", forced, renamed over "checkpoint" and the directory forced;
 * a leftover temp file (a crash before the rename) is deleted on open.
 *
 * <p>Not thread-safe: the journal serialises checkpoints.
 */
final class CheckpointFile {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFile.class);
    static final String NAME = "checkpoint";
    static final String TEMP_NAME = "checkpoint.tmp";
    private static final int MAGIC = 0x42574350;
    private static final int SIZE = 20;

    private final JournalDirectory directory;
    private final Path file;
    private final Path temp;

    CheckpointFile(JournalDirectory directory) {
        this.directory = directory;
        this.file = directory.path().resolve(NAME);
        this.temp = directory.path().resolve(TEMP_NAME);
    }

    Path path() {
        return file;
    }

    /** Reads the checkpointed sequence (0 if there is no checkpoint), deleting a leftover temp file. */
    long read() throws IOException {
        if (Files.deleteIfExists(temp)) {
            LOG.info("journal {}: deleted {} left by a checkpoint that a crash interrupted", directory.path(), temp);
        }
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != SIZE) {
            throw new JournalCorruptedException(file, Math.min(bytes.length, SIZE), "checkpoint file has "
                    + bytes.length + " bytes instead of " + SIZE);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt(0) != MAGIC || buffer.getShort(4) != 1 || buffer.getShort(6) != 0) {
            throw new JournalCorruptedException(file, 0, "not a journal checkpoint (bad magic number or version)");
        }
        if (buffer.getInt(16) != checksum(buffer)) {
            throw new JournalCorruptedException(file, 0, "checkpoint checksum mismatch");
        }
        long sequence = buffer.getLong(8);
        if (sequence < 0) {
            throw new JournalCorruptedException(file, 8, "negative checkpoint sequence " + sequence);
        }
        return sequence;
    }

    void write(long sequence) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        buffer.putInt(MAGIC).putShort((short) 1).putShort((short) 0).putLong(sequence);
        buffer.putInt(checksum(buffer)).flip();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new JournalException("cannot write checkpoint " + temp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JournalException("cannot rename " + temp + " to " + file + ": " + e.getMessage(), e);
        }
        directory.force();
    }

    private static int checksum(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, 16);
        return (int) crc.getValue();
    }
}
