package dev.bulwark.recovery;

import dev.bulwark.recovery.internal.FileJournal;
import java.io.IOException;

/**
 * A crash-safe, append-only write journal: records appended are durable once acknowledged, are read back in
 * order, and are removed only after a checkpoint says they have been applied.
 *
 * <pre>{@code
 * try (Journal journal = Journal.open(config)) {
 *     long sequence = journal.append(bytes);            // durable when this returns
 *     try (JournalReader reader = journal.reader(journal.checkpointed() + 1)) {
 *         for (var next = reader.next(); next.isPresent(); next = reader.next()) {
 *             apply(next.get());
 *             journal.checkpoint(next.get().sequence()); // applied: may be deleted
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may append, read and checkpoint concurrently; concurrent appends
 * share one fsync (group commit). A directory is held by one open journal at a time (a file lock), across
 * processes.
 */
public interface Journal extends AutoCloseable {

    /**
     * Opens (or creates) the journal in {@link JournalConfig#directory()}, cutting off a torn tail left by a crash
     * (logged at WARN) and checking every record's checksum.
     *
     * @throws JournalCorruptedException if a segment or the checkpoint is damaged anywhere but in the torn tail
     * @throws JournalException          if the directory cannot be created or written, or is locked by another
     *                                   open journal
     * @throws IOException               if the files cannot be read
     */
    static Journal open(JournalConfig config) throws IOException {
        return FileJournal.open(config);
    }

    /**
     * Appends a record and returns its sequence number once it is durable (see {@link Durability}).
     *
     * <p>Not interruptible: a thread interrupted while waiting for the fsync keeps waiting, then returns with its
     * interrupt flag set, so that an acknowledgement is never ambiguous.
     *
     * @throws JournalFullException     if the record would take the un-checkpointed data beyond
     *                                  {@link JournalConfig#maxSize()}; nothing is written
     * @throws IllegalArgumentException if the payload exceeds {@link JournalConfig#maxPayloadSize()}
     * @throws JournalException         if writing or forcing the segment failed (the record is not acknowledged;
     *                                  after a failed fsync every later append fails too: reopen the journal)
     * @throws IllegalStateException    if the journal is closed
     */
    long append(byte[] payload) throws IOException;

    /**
     * Returns a reader starting at {@code fromSequence}.
     *
     * @throws IllegalArgumentException if {@code fromSequence} is before the oldest record kept or after
     *                                  {@link #lastSequence()} + 1
     * @throws IllegalStateException    if the journal is closed
     */
    JournalReader reader(long fromSequence);

    /**
     * Records atomically that every record up to {@code appliedSequence} has been applied, and deletes the
     * segments that hold only such records. Checkpoints only move forward.
     *
     * @throws IllegalArgumentException if {@code appliedSequence} is before {@link #checkpointed()} or after
     *                                  {@link #lastSequence()}
     * @throws JournalException         if the checkpoint file cannot be written
     * @throws IllegalStateException    if the journal is closed
     */
    void checkpoint(long appliedSequence) throws IOException;

    /** Returns the last checkpointed sequence number, 0 if there was no checkpoint. */
    long checkpointed();

    /** Returns the sequence number of the last acknowledged record, 0 if there is none. */
    long lastSequence();

    /**
     * Returns the records (and their bytes, framing included) appended but not checkpointed, appends still
     * awaiting their fsync included.
     */
    JournalBacklog backlog();

    /** Forces what was written, closes the files and releases the directory lock; idempotent. */
    @Override
    void close() throws IOException;
}
