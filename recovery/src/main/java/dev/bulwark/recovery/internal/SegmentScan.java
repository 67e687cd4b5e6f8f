package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * The result of checking every record of one segment when a journal is opened.
 *
 * <p>A frame that fails its checks is a torn tail only in the last segment and only if no intact frame with a
 * later sequence number follows it; anything else is a {@link JournalCorruptedException}.
 *
 * @param segment      the segment, with its index filled
 * @param nextSequence the sequence number after the segment's last valid record
 * @param validEnd     the offset after the last valid record
 * @param recordBytes  the bytes of the valid records (framing included, header excluded)
 * @param tornTail     the torn tail to cut off, or null
 */
record SegmentScan(Segment segment, long nextSequence, long validEnd, long recordBytes, TornTail tornTail) {

    static SegmentScan of(Segment segment, boolean last) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            long size = channel.size();
            FrameReader reader = new FrameReader(channel);
            if (size < SegmentFormat.HEADER_SIZE) {
                String reason = "incomplete segment header (" + size + " bytes)";
                if (!last) {
                    throw new JournalCorruptedException(segment.path(), 0, reason);
                }
                return new SegmentScan(segment, segment.firstSequence(), 0, 0,
                        new TornTail(segment.path(), 0, size, reason));
            }
            ByteBuffer header = reader.bytesAt(0, SegmentFormat.HEADER_SIZE);
            String problem = SegmentFormat.headerProblem(header, segment.firstSequence());
            if (problem != null) {
                throw new JournalCorruptedException(segment.path(), 0, problem);
            }
            return records(segment, reader, size, last);
        }
    }

    private static SegmentScan records(Segment segment, FrameReader reader, long size, boolean last)
            throws IOException {
        long sequence = segment.firstSequence();
        long position = SegmentFormat.HEADER_SIZE;
        while (position < size) {
            FrameReader.Check check = reader.check(position, sequence, size);
            if (check instanceof FrameReader.Valid valid) {
                segment.index().noteRecord(sequence, position);
                position += valid.frameLength();
                sequence++;
                continue;
            }
            FrameReader.Invalid invalid = (FrameReader.Invalid) check;
            if (!last || !invalid.crashCanExplain()) {
                throw new JournalCorruptedException(segment.path(), position, invalid.reason());
            }
            long intact = intactFrameAfter(reader, position, sequence, size);
            if (intact >= 0) {
                throw new JournalCorruptedException(segment.path(), position, invalid.reason()
                        + ", yet an intact record follows at offset " + intact);
            }
            return new SegmentScan(segment, sequence, position, position - SegmentFormat.HEADER_SIZE,
                    new TornTail(segment.path(), position, size - position, invalid.reason()));
        }
        return new SegmentScan(segment, sequence, position, position - SegmentFormat.HEADER_SIZE, null);
    }

    /** Returns the offset of an intact frame after {@code position} that could follow it, or -1. */
    private static long intactFrameAfter(FrameReader reader, long position, long sequence, long size)
            throws IOException {
        long highest = sequence + (size - position) / SegmentFormat.FRAME_HEADER_SIZE;
        for (long at = position + 1; at + SegmentFormat.FRAME_HEADER_SIZE <= size; at++) {
            if (reader.intactFrameAt(at, sequence, highest, size)) {
                return at;
            }
        }
        return -1;
    }
}
