package dev.bulwark.recovery;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A journal file holds bytes that a crash cannot explain: a bad checksum, a gap in the sequence numbers or a
 * bad header anywhere but in the torn tail of the last segment.
 *
 * <p>Nothing is skipped or repaired: the journal refuses to open (or the reader to go on) until an operator
 * has looked at the named file and offset (see {@code docs/recovery.md}). Immutable.
 */
public class JournalCorruptedException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param file   the segment or checkpoint file that is damaged
     * @param offset the byte offset in that file where the damage starts
     * @param reason what is wrong at that offset
     * @throws NullPointerException if {@code file} or {@code reason} is null
     */
    public JournalCorruptedException(Path file, long offset, String reason) {
        super("journal file " + Objects.requireNonNull(file, "file") + " is corrupted at byte offset " + offset
                + ": " + Objects.requireNonNull(reason, "reason"));
        this.file = file;
        this.offset = offset;
    }

    /** Returns the damaged file (a segment or the checkpoint file). */
    public Path file() {
        return file;
    }

    /** Returns the byte offset in {@link #file()} where the damage starts. */
    public long offset() {
        return offset;
    }
}
