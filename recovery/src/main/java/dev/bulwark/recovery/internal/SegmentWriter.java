package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends frames to the active segment and forces them.
 *
 * <p>{@link #append} is called under the journal's lock only; {@link #force} and {@link #close} may run
 * concurrently with it and with each other. An interrupt never breaks the writer: the interrupt flag is cleared
 * around I/O (an interrupt closes a {@link FileChannel}) and restored afterwards, and a channel closed by an
 * interrupt that arrives mid-call is replaced.
 */
final class SegmentWriter {

    private enum State { OPEN, FORCED_AND_CLOSED, FAILED }

    private final Path path;
    private final Object forceLock = new Object();
    private volatile FileChannel channel;
    private long end;
    private State state = State.OPEN;

    private SegmentWriter(Path path, FileChannel channel, long end) {
        this.path = path;
        this.channel = channel;
        this.end = end;
    }

    static SegmentWriter open(Path path, long end) throws JournalException {
        return new SegmentWriter(path, openChannel(path), end);
    }

    Path path() {
        return path;
    }

    /** Returns the offset after the last frame written. */
    long end() {
        return end;
    }

    /**
     * Writes {@code frame} at the end of the segment and returns the offset it starts at. On failure the partial
     * write is cut off again; if even that fails, {@link JournalWriteException#damaged()} says so.
     */
    long append(ByteBuffer frame) throws JournalWriteException {
        boolean interrupted = Thread.interrupted();
        long start = end;
        try {
            if (!channel.isOpen()) {
                synchronized (forceLock) {
                    channel = openChannel(path);
                }
            }
            while (frame.hasRemaining()) {
                channel.write(frame, start + frame.position());
            }
            end = start + frame.limit();
            return start;
        } catch (IOException e) {
            interrupted |= Thread.interrupted(); // set again if an interrupt closed the channel mid-write
            boolean damaged = !cutBackTo(start, e);
            throw new JournalWriteException("cannot append to journal segment " + path + ": " + e, e, damaged);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Forces everything written; returns at once if the writer was closed after a successful force. */
    void force() throws JournalException {
        synchronized (forceLock) {
            if (state == State.FORCED_AND_CLOSED) {
                return;
            }
            if (state == State.FAILED) {
                throw new JournalException("journal segment " + path + " could not be forced when it was closed");
            }
            forceNow();
        }
    }

    /** Closes the writer, forcing first if {@code force}; a failed force leaves the writer failed. */
    void close(boolean force) throws JournalException {
        synchronized (forceLock) {
            if (state != State.OPEN) {
                return;
            }
            state = State.FAILED;
            try {
                if (force) {
                    forceNow();
                }
                state = State.FORCED_AND_CLOSED;
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new JournalException("cannot close journal segment " + path + ": " + e, e);
                }
            }
        }
    }

    private void forceNow() throws JournalException {
        boolean interrupted = Thread.interrupted();
        try {
            if (channel.isOpen()) {
                try {
                    channel.force(false);
                    return;
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted(); // closed by an interrupt mid-force: force a new handle
                }
            }
            try (FileChannel fresh = openChannel(path)) {
                fresh.force(false);
            }
        } catch (IOException e) {
            throw new JournalException("cannot fsync journal segment " + path + ": " + e, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean cutBackTo(long offset, IOException cause) {
        try (FileChannel fresh = FileChannel.open(path, StandardOpenOption.WRITE)) {
            fresh.truncate(offset);
            return true;
        } catch (IOException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private static FileChannel openChannel(Path path) throws JournalException {
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JournalException("cannot open journal segment " + path + " for writing: " + e, e);
        }
    }

    /** A failed append; {@code damaged} when a partial record could not be cut off again. */
    static final class JournalWriteException extends JournalException {

        private static final long serialVersionUID = 1L;
        private final boolean damaged;

        JournalWriteException(String message, Throwable cause, boolean damaged) {
            super(message, cause);
            this.damaged = damaged;
        }

        boolean damaged() {
            return damaged;
        }
    }
}
