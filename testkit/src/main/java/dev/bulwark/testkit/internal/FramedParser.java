package dev.bulwark.testkit.internal;

import java.nio.charset.StandardCharsets;

/**
 * Splits a client's byte stream into length-prefixed frames, however the bytes arrive in chunks,
 * and hands each complete frame to the protocol: its header and at most the first {@link #KEPT}
 * bytes of its payload. Longer payloads are skipped, not buffered: they can never be a COMMIT.
 *
 * <p>Not thread-safe: one instance per connection.
 */
abstract class FramedParser implements WireParser {

    /** How much of a payload is kept: enough for any commit statement and the names before it. */
    static final int KEPT = CommitSql.MAX_LENGTH + 160;

    private final byte[] header = new byte[8];
    private final byte[] kept = new byte[KEPT];
    private int headerFill;
    private int headerSize;
    private boolean inPayload;
    private boolean keep;
    private long length;
    private long remaining;
    private int keptFill;
    private String opaqueReason;

    @Override
    public final int feed(byte[] buffer, int offset, int count, CommitListener listener) {
        int i = offset;
        int end = offset + count;
        while (i < end && opaqueReason == null) {
            if (!inPayload) {
                if (headerFill == 0) {
                    frameStarting(buffer[i]);
                    if (opaqueReason != null) {
                        break;
                    }
                    headerSize = headerSize();
                }
                int take = Math.min(headerSize - headerFill, end - i);
                System.arraycopy(buffer, i, header, headerFill, take);
                headerFill += take;
                i += take;
                if (headerFill < headerSize) {
                    break;
                }
                length = payloadLength(header);
                if (length < 0) {
                    giveUp("a frame with an impossible length");
                    break;
                }
                remaining = length;
                keep = keepPayload(header);
                keptFill = 0;
                inPayload = true;
            }
            int take = (int) Math.min(remaining, end - i);
            if (keep && keptFill < KEPT) {
                int copy = Math.min(take, KEPT - keptFill);
                System.arraycopy(buffer, i, kept, keptFill, copy);
                keptFill += copy;
            }
            remaining -= take;
            i += take;
            if (remaining == 0) {
                inPayload = false;
                headerFill = 0;
                boolean complete = keep && length <= KEPT;
                if (frameComplete(header, new Payload(kept, keptFill, complete), listener)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public final boolean opaque() {
        return opaqueReason != null;
    }

    @Override
    public final String opaqueReason() {
        return opaqueReason;
    }

    /** Stops following the stream for good; every later byte is passed through unread. */
    protected final void giveUp(String reason) {
        if (opaqueReason == null) {
            opaqueReason = reason;
        }
    }

    /** Called with the first byte of each frame before its header is read; may {@link #giveUp}. */
    protected void frameStarting(byte firstByte) {
    }

    /** Size of the next frame's header in bytes (at most 8). */
    protected abstract int headerSize();

    /** Payload length announced by a complete header, or {@code -1} when it is impossible. */
    protected abstract long payloadLength(byte[] header);

    /** Whether the payload's first bytes are needed to understand the frame. */
    protected abstract boolean keepPayload(byte[] header);

    /**
     * Handles a complete frame.
     *
     * @return whether the connection is to be cut right after this frame
     */
    protected abstract boolean frameComplete(byte[] header, Payload payload, CommitListener listener);

    /** The kept start of a payload; {@code complete} when it is the whole payload. */
    record Payload(byte[] bytes, int length, boolean complete) {

        int int32(int at) {
            return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8
                    | (bytes[at + 3] & 0xFF);
        }

        /** Index of the NUL that ends the C string at {@code from}, or {@code -1} if not kept. */
        int endOfCString(int from) {
            for (int i = from; i < length; i++) {
                if (bytes[i] == 0) {
                    return i;
                }
            }
            return -1;
        }

        /** The C string starting at {@code from}, or {@code null} when its end was not kept. */
        String cString(int from) {
            int end = endOfCString(from);
            return end < 0 ? null : new String(bytes, from, end - from, StandardCharsets.UTF_8);
        }

        String text(int from, int to) {
            return new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }
    }
}
