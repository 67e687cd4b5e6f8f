package dev.bulwark.recovery;

/**
 * What a {@link Journal} holds beyond its checkpoint: the records appended but not yet applied.
 *
 * <p>Immutable and thread-safe.
 *
 * @param records the number of records after the checkpoint
 * @param bytes   their size on disk, framing included; {@link Journal#append} fails once this would exceed
 *                {@link JournalConfig#maxSize()}
 */
public record JournalBacklog(long records, long bytes) {

    /**
     * Creates a backlog.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public JournalBacklog {
        if (records < 0 || bytes < 0) {
            throw new IllegalArgumentException("backlog cannot be negative: " + records + " records, " + bytes
                    + " bytes");
        }
    }
}
