package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalCorruptedException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One segment file of an open journal: where it is, its first sequence number and how many record bytes all
 * earlier segments held (to turn sequence numbers into backlog bytes).
 *
 * <p>Thread-safe: immutable apart from its thread-safe {@link SegmentIndex}.
 */
final class Segment {

    private final Path path;
    private final long firstSequence;
    private final long bytesBefore;
    private final SegmentIndex index;

    Segment(Path path, long firstSequence, long bytesBefore) {
        this.path = path;
        this.firstSequence = firstSequence;
        this.bytesBefore = bytesBefore;
        this.index = new SegmentIndex(firstSequence);
    }

    Path path() {
        return path;
    }

    long firstSequence() {
        return firstSequence;
    }

    /** Returns the record bytes (framing included) held by all earlier segments, deleted ones included. */
    long bytesBefore() {
        return bytesBefore;
    }

    SegmentIndex index() {
        return index;
    }

    /** Returns the file offset of record {@code sequence}, which must be in this segment and acknowledged. */
    long offsetOf(long sequence, FrameReader reader) throws IOException {
        long[] start = index.floor(sequence);
        long at = start[1];
        for (long current = start[0]; current < sequence; current++) {
            at += requireValid(reader.check(at, current, Long.MAX_VALUE), at);
        }
        return at;
    }

    /** Returns the frame length of a valid check, or throws naming this segment and the offset. */
    int requireValid(FrameReader.Check check, long offset) throws IOException {
        if (check instanceof FrameReader.Valid valid) {
            return valid.frameLength();
        }
        throw new JournalCorruptedException(path, offset, ((FrameReader.Invalid) check).reason());
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
