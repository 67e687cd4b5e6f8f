package dev.bulwark.recovery.internal.forward;

import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.UnreadableWriteException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal payload of a buffered write, format version 1 (big-endian, documented in
 * {@code docs/recovery.md}):
 * <pre>
 * magic "BWSF" (4) | version = 1 (1) | form: 1 = SQL, 2 = typed (1) | buffered at, epoch millis (8)
 * | key: u16 length + UTF-8
 * SQL:   sql: u32 length + UTF-8 | u16 parameter count | each parameter: tag (1) + value
 * typed: type name: u16 length + UTF-8 | body: u32 length + bytes
 * </pre>
 * Stateless and thread-safe.
 */
public final class WriteFormat {

    /** "BWSF". */
    static final int MAGIC = 0x42575346;
    static final int VERSION = 1;
    static final int FORM_SQL = 1;
    static final int FORM_TYPED = 2;

    private WriteFormat() {
    }

    /** Encodes a write; the SQL write's parameters were checked when it was built. */
    public static byte[] encode(BufferedWrite write) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(write.sql() != null ? FORM_SQL : FORM_TYPED);
            out.writeLong(write.bufferedAt().toEpochMilli());
            shortString(out, write.idempotencyKey());
            if (write.sql() != null) {
                SqlParameter.bytes(out, write.sql().sql().getBytes(StandardCharsets.UTF_8));
                List<Object> parameters = write.sql().parameters();
                if (parameters.size() > 0xFFFF) {
                    throw new IllegalArgumentException("SqlWrite '" + write.idempotencyKey() + "' has "
                            + parameters.size() + " parameters; at most 65535 can be buffered");
                }
                out.writeShort(parameters.size());
                for (Object value : parameters) {
                    SqlParameter.write(out, value);
                }
            } else {
                shortString(out, write.typeName());
                SqlParameter.bytes(out, write.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes the payload of the journal record {@code sequence}.
     *
     * @throws UnreadableWriteException naming the sequence and what is wrong
     */
    public static BufferedWrite decode(long sequence, byte[] payload) throws UnreadableWriteException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new UnreadableWriteException(sequence, String.format("magic number 0x%08X is not a buffered"
                        + " write's (0x%08X)", magic, MAGIC), null);
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new UnreadableWriteException(sequence, "format version " + version + " is not supported"
                        + " (this version reads " + VERSION + "; was it written by a newer Bulwark?)", null);
            }
            int form = in.readUnsignedByte();
            Instant at = Instant.ofEpochMilli(in.readLong());
            String key = shortString(in);
            BufferedWrite write = switch (form) {
                case FORM_SQL -> {
                    String sql = new String(SqlParameter.bytes(in), StandardCharsets.UTF_8);
                    int count = in.readUnsignedShort();
                    List<Object> parameters = new ArrayList<>(count);
                    for (int i = 1; i <= count; i++) {
                        parameters.add(SqlParameter.read(in, i));
                    }
                    yield BufferedWrite.of(new SqlWrite(key, sql, parameters), at);
                }
                case FORM_TYPED -> BufferedWrite.typed(key, shortString(in), SqlParameter.bytes(in), at);
                default -> throw new IOException("unknown form " + form);
            };
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the end of the write");
            }
            return write;
        } catch (UnreadableWriteException e) {
            throw e;
        } catch (EOFException e) {
            throw new UnreadableWriteException(sequence, "the payload ends early (" + payload.length + " bytes)", e);
        } catch (IOException | IllegalArgumentException | DateTimeException | ArithmeticException e) {
            throw new UnreadableWriteException(sequence, e.getMessage(), e);
        }
    }

    private static void shortString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static String shortString(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        if (length > in.available()) {
            throw new EOFException();
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
