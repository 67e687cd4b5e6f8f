package dev.bulwark.recovery;

import java.util.Arrays;

/**
 * One record read back from a {@link Journal}: its sequence number and its payload.
 *
 * <p>Immutable and thread-safe: the payload is copied on the way in and on the way out.
 *
 * @param sequence the record's sequence number (1 for the first record ever appended, contiguous after that)
 * @param payload  the bytes given to {@link Journal#append}
 */
public record JournalRecord(long sequence, byte[] payload) {

    /**
     * Creates a record.
     *
     * @throws IllegalArgumentException if {@code sequence} is less than 1
     * @throws NullPointerException     if {@code payload} is null
     */
    public JournalRecord {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1 but was " + sequence);
        }
        payload = payload.clone();
    }

    /** Returns a copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Returns the payload's length in bytes without copying it. */
    public int size() {
        return payload.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JournalRecord that && sequence == that.sequence && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "JournalRecord[sequence=" + sequence + ", size=" + payload.length + "]";
    }
}
