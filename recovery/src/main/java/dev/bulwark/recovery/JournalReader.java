package dev.bulwark.recovery;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads a {@link Journal}'s records in sequence order, from a given sequence number on.
 *
 * <p>A reader sees only acknowledged (durable) records; when it has caught up, {@link #next()} returns empty
 * and a later call returns records appended since. Every record is checked against its checksum again as it
 * is read.
 *
 * <p>Not thread-safe: use one reader per consuming thread. Readers are independent of each other and of
 * appends.
 */
public interface JournalReader extends AutoCloseable {

    /**
     * Returns the next record, or empty when the reader has read every acknowledged record.
     *
     * @throws JournalCorruptedException if the next record's bytes fail their checksum
     * @throws JournalException          if the next record was deleted by a checkpoint
     * @throws IOException               if the segment file cannot be read
     * @throws IllegalStateException     if this reader or its journal is closed
     */
    Optional<JournalRecord> next() throws IOException;

    /** Returns the sequence number of the record {@link #next()} returns next. */
    long nextSequence();

    /** Closes the reader's file handles; idempotent. */
    @Override
    void close() throws IOException;
}
