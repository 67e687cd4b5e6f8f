package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalException;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads acknowledged records of a {@link FileJournal} in order, through its own file handle per segment.
 *
 * <p>Not thread-safe: one reader per consuming thread.
 */
final class FileJournalReader implements JournalReader {

    private final FileJournal journal;
    private long nextSequence;
    private Segment segment;
    private FileChannel channel;
    private FrameReader frames;
    private long position;
    private boolean closed;

    FileJournalReader(FileJournal journal, long fromSequence) {
        this.journal = journal;
        this.nextSequence = fromSequence;
    }

    @Override
    public Optional<JournalRecord> next() throws IOException {
        if (closed) {
            throw new IllegalStateException("journal reader is closed");
        }
        journal.checkOpen();
        if (nextSequence > journal.lastSequence()) {
            return Optional.empty();
        }
        Segment wanted = journal.segmentFor(nextSequence);
        if (wanted != segment) {
            switchTo(wanted);
        }
        int frameLength = segment.requireValid(frames.check(position, nextSequence, Long.MAX_VALUE), position);
        JournalRecord record = new JournalRecord(nextSequence, frames.payload(position, frameLength));
        position += frameLength;
        nextSequence++;
        return Optional.of(record);
    }

    @Override
    public long nextSequence() {
        return nextSequence;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }

    private void switchTo(Segment wanted) throws IOException {
        if (channel != null) {
            channel.close();
        }
        try {
            channel = FileChannel.open(wanted.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new JournalException("record " + nextSequence + " is no longer in the journal: a checkpoint deleted "
                    + wanted.path(), e);
        }
        segment = wanted;
        frames = new FrameReader(channel);
        position = wanted.offsetOf(nextSequence, frames);
    }
}
