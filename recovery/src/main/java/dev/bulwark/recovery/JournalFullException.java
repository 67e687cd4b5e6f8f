package dev.bulwark.recovery;

/**
 * {@link Journal#append} refused a record because the data not yet checkpointed would exceed
 * {@link JournalConfig#maxSize()}: back-pressure, not data loss; every record accepted before is kept.
 *
 * <p>Checkpoint applied records ({@link Journal#checkpoint}) to make room. Immutable.
 */
public class JournalFullException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final long limitBytes;
    private final long backlogBytes;

    /**
     * Creates the exception.
     *
     * @param limitBytes   the configured maximum of un-checkpointed bytes
     * @param backlogBytes the un-checkpointed bytes now in the journal
     * @param recordBytes  the framed size of the refused record
     */
    public JournalFullException(long limitBytes, long backlogBytes, long recordBytes) {
        super("journal is full: " + backlogBytes + " bytes are not checkpointed yet and a record of " + recordBytes
                + " bytes would exceed the limit of " + limitBytes + " bytes (JournalConfig.maxSize); checkpoint"
                + " applied records to make room");
        this.limitBytes = limitBytes;
        this.backlogBytes = backlogBytes;
    }

    /** Returns the configured maximum of un-checkpointed bytes. */
    public long limitBytes() {
        return limitBytes;
    }

    /** Returns the un-checkpointed bytes at the time of the refusal. */
    public long backlogBytes() {
        return backlogBytes;
    }
}
