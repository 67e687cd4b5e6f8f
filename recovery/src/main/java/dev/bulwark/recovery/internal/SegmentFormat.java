package dev.bulwark.recovery.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The on-disk format of segment files (big-endian throughout).
 *
 * <pre>
 * segment file "segment-&lt;first sequence, 20 digits&gt;.log":
 *   header  : magic "BWJL" (4) | version u16 = 1 | reserved u16 = 0 | first sequence u64     = 16 bytes
 *   records : record*
 * record:
 *   length u32 (payload bytes) | crc u32 | sequence u64 | payload (length bytes)
 *   crc = CRC32C over the length field, the sequence field and the payload
 * </pre>
 *
 * <p>Stateless and thread-safe, except {@link #frame} which uses the caller's {@link CRC32C}.
 */
public final class SegmentFormat {

    /** "BWJL": Bulwark journal log. */
    static final int MAGIC = 0x42574A4C;
    static final short VERSION = 1;
    /** Bytes of the segment header. */
    public static final int HEADER_SIZE = 16;
    /** Bytes of a record's frame before its payload. */
    public static final int FRAME_HEADER_SIZE = 16;

    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");

    private SegmentFormat() {
    }

    static String fileName(long firstSequence) {
        return String.format("segment-%020d.log", firstSequence);
    }

    /** Returns the first sequence number encoded in a segment file name, empty if it is not one. */
    static OptionalLong firstSequenceOf(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    static ByteBuffer header(long firstSequence) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(firstSequence).flip();
        return header;
    }

    /** Returns what is wrong with a header, or null if it is a valid header for {@code firstSequence}. */
    static String headerProblem(ByteBuffer header, long firstSequence) {
        int at = header.position();
        if (header.getInt(at) != MAGIC) {
            return "not a journal segment (bad magic number)";
        }
        if (header.getShort(at + 4) != VERSION || header.getShort(at + 6) != 0) {
            return "unsupported segment version " + header.getShort(at + 4) + "/" + header.getShort(at + 6);
        }
        long declared = header.getLong(at + 8);
        if (declared != firstSequence) {
            return "header says the first sequence is " + declared + " but the file name says " + firstSequence;
        }
        return null;
    }

    /** Fills {@code frame} (capacity {@code FRAME_HEADER_SIZE + payload.length}) with a framed record. */
    public static ByteBuffer frame(ByteBuffer frame, long sequence, byte[] payload, CRC32C crc) {
        frame.clear();
        frame.putInt(payload.length).putInt(0).putLong(sequence).put(payload).flip();
        frame.putInt(4, checksum(frame, 0, payload.length, crc));
        return frame;
    }

    /** Computes the record checksum of the frame starting at {@code at} in {@code buffer}. */
    static int checksum(ByteBuffer buffer, int at, int payloadLength, CRC32C crc) {
        crc.reset();
        crc.update(buffer.duplicate().limit(at + 4).position(at));
        crc.update(buffer.duplicate().limit(at + FRAME_HEADER_SIZE + payloadLength).position(at + 8));
        return (int) crc.getValue();
    }
}
