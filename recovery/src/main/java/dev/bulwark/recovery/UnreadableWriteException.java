package dev.bulwark.recovery;

/**
 * A journal record that passed its checksum does not hold a write this version of {@link StoreAndForward} can
 * read: an unknown format version, a write type that is not registered, or bytes that do not parse.
 *
 * <p>Immutable.
 */
public class UnreadableWriteException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final long sequence;

    /**
     * Creates the exception.
     *
     * @param sequence the journal sequence number of the record
     * @param reason   what is wrong with it
     * @param cause    the decoding failure, or null
     */
    public UnreadableWriteException(long sequence, String reason, Throwable cause) {
        super("buffered write at journal sequence " + sequence + " cannot be read: " + reason, cause);
        this.sequence = sequence;
    }

    /** Returns the journal sequence number of the unreadable record. */
    public long sequence() {
        return sequence;
    }
}
