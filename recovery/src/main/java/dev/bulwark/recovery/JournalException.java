package dev.bulwark.recovery;

import java.io.IOException;

/**
 * A journal cannot do what was asked: its directory is unusable or locked, a write or an fsync failed, or
 * (in the subclasses) its files are corrupted or it is full.
 *
 * <p>Exceptions are not shared between threads by the journal; the usual {@link Throwable} rules apply.
 */
public class JournalException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the path involved
     */
    public JournalException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the path involved
     * @param cause   the underlying I/O error
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
