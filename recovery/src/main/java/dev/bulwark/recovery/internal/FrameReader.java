package dev.bulwark.recovery.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads and checks record frames from one segment file through a read-ahead buffer.
 *
 * <p>Not thread-safe: one instance per reading thread.
 */
final class FrameReader {

    private static final int READ_AHEAD = 64 * 1024;

    /** The outcome of checking the frame at an offset. */
    sealed interface Check permits Valid, Invalid {
    }

    /** A whole frame with a matching checksum and the expected sequence number. */
    record Valid(int frameLength) implements Check {
    }

    /**
     * A frame that fails a check; {@code crashCanExplain} is false when the frame itself is intact (its checksum
     * matches) but out of sequence, which no interrupted write can produce.
     */
    record Invalid(String reason, boolean crashCanExplain) implements Check {
    }

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(READ_AHEAD).limit(0);
    private long bufferStart;

    FrameReader(FileChannel channel) {
        this.channel = channel;
    }

    /** Checks the frame at {@code position}, which should carry {@code expectedSequence}. */
    Check check(long position, long expectedSequence, long fileSize) throws IOException {
        if (position + SegmentFormat.FRAME_HEADER_SIZE > fileSize || !fill(position, SegmentFormat.FRAME_HEADER_SIZE)) {
            return new Invalid("incomplete record header (" + (fileSize - position) + " bytes left)", true);
        }
        int length = buffer.getInt(index(position));
        long frameLength = SegmentFormat.FRAME_HEADER_SIZE + Integer.toUnsignedLong(length);
        if (length < 0 || position + frameLength > fileSize || !fill(position, (int) frameLength)) {
            return new Invalid("record of " + Integer.toUnsignedLong(length) + " payload bytes runs past the end of the"
                    + " file", true);
        }
        int at = index(position);
        if (SegmentFormat.checksum(buffer, at, length, crc) != buffer.getInt(at + 4)) {
            return new Invalid("record checksum mismatch", true);
        }
        long sequence = buffer.getLong(at + 8);
        if (sequence != expectedSequence) {
            return new Invalid("record has sequence " + sequence + " where " + expectedSequence + " was expected",
                    false);
        }
        return new Valid((int) frameLength);
    }

    /**
     * Tells whether an intact frame with a sequence number in {@code [lowSequence, highSequence]} starts at
     * {@code position}: evidence that damage before it is not a torn tail.
     */
    boolean intactFrameAt(long position, long lowSequence, long highSequence, long fileSize) throws IOException {
        if (position + SegmentFormat.FRAME_HEADER_SIZE > fileSize || !fill(position, SegmentFormat.FRAME_HEADER_SIZE)) {
            return false;
        }
        int at = index(position);
        long sequence = buffer.getLong(at + 8);
        int length = buffer.getInt(at);
        if (sequence < lowSequence || sequence > highSequence || length < 0
                || position + SegmentFormat.FRAME_HEADER_SIZE + length > fileSize
                || !fill(position, SegmentFormat.FRAME_HEADER_SIZE + length)) {
            return false;
        }
        at = index(position);
        return SegmentFormat.checksum(buffer, at, length, crc) == buffer.getInt(at + 4);
    }

    /** Copies the payload of the frame at {@code position}, which {@link #check} has just found valid. */
    byte[] payload(long position, int frameLength) throws IOException {
        fill(position, frameLength);
        byte[] payload = new byte[frameLength - SegmentFormat.FRAME_HEADER_SIZE];
        buffer.get(index(position) + SegmentFormat.FRAME_HEADER_SIZE, payload);
        return payload;
    }

    /** Reads up to {@code length} bytes at {@code position}; fewer if the file ends first. */
    ByteBuffer bytesAt(long position, int length) throws IOException {
        fill(position, length);
        int at = index(position);
        int available = Math.max(0, Math.min(length, buffer.limit() - at));
        return buffer.duplicate().position(at).limit(at + available).slice();
    }

    private int index(long position) {
        return (int) (position - bufferStart);
    }

    /** Makes {@code length} bytes from {@code position} available in the buffer; false if the file is shorter. */
    private boolean fill(long position, int length) throws IOException {
        if (position >= bufferStart && position + length <= bufferStart + buffer.limit()) {
            return true;
        }
        if (length > buffer.capacity()) {
            buffer = ByteBuffer.allocate(Math.max(length, READ_AHEAD));
        }
        buffer.clear();
        bufferStart = position;
        while (buffer.position() < length) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        return buffer.limit() >= length;
    }
}
