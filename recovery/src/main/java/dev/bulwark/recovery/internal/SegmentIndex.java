package dev.bulwark.recovery.internal;

import java.util.Arrays;

/**
 * A sparse index of one segment: the offset of one record in every {@value #INTERVAL} bytes, so that a record
 * is found by reading at most that many bytes.
 *
 * <p>Thread-safe: the appender adds while readers and checkpoints look up.
 */
final class SegmentIndex {

    static final int INTERVAL = 32 * 1024;

    private final long firstSequence;
    private long[] sequences = new long[8];
    private long[] offsets = new long[8];
    private int size;

    SegmentIndex(long firstSequence) {
        this.firstSequence = firstSequence;
    }

    synchronized void noteRecord(long sequence, long offset) {
        if (size > 0 && offset - offsets[size - 1] < INTERVAL) {
            return;
        }
        if (size == sequences.length) {
            sequences = Arrays.copyOf(sequences, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        sequences[size] = sequence;
        offsets[size] = offset;
        size++;
    }

    /** Returns {sequence, offset} of the indexed record closest before or at {@code sequence}. */
    synchronized long[] floor(long sequence) {
        int found = Arrays.binarySearch(sequences, 0, size, sequence);
        int at = found >= 0 ? found : -found - 2;
        if (at < 0) {
            return new long[] {firstSequence, SegmentFormat.HEADER_SIZE};
        }
        return new long[] {sequences[at], offsets[at]};
    }
}
