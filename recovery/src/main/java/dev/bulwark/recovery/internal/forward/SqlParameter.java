package dev.bulwark.recovery.internal.forward;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The parameter types a buffered {@code SqlWrite} may carry: one tag byte each, then the value (see
 * {@code docs/recovery.md}). Tags are part of format version 1 and must never be renumbered.
 */
public final class SqlParameter {

    static final int NULL = 0;
    static final int STRING = 1;
    static final int SHORT = 2;
    static final int INT = 3;
    static final int LONG = 4;
    static final int DECIMAL = 5;
    static final int DOUBLE = 6;
    static final int FLOAT = 7;
    static final int BOOLEAN = 8;
    static final int BYTES = 9;
    static final int TIMESTAMP = 10;
    static final int DATE = 11;
    static final int LOCAL_DATE = 12;
    static final int LOCAL_DATE_TIME = 13;

    private static final String SUPPORTED = "null, String, Short, Integer, Long, BigDecimal, Double, Float, Boolean,"
            + " byte[], java.sql.Timestamp, java.sql.Date, LocalDate, LocalDateTime";

    /** The exact class of each tag's values, indexed by tag (subclasses are refused: they may carry more). */
    private static final Class<?>[] TYPES = {Void.class, String.class, Short.class, Integer.class, Long.class,
        BigDecimal.class, Double.class, Float.class, Boolean.class, byte[].class, Timestamp.class, Date.class,
        LocalDate.class, LocalDateTime.class};

    private SqlParameter() {
    }

    /**
     * Refuses a value of a type outside the format.
     *
     * @throws IllegalArgumentException naming the write, the position and the type, never the value
     */
    public static void check(String key, int position, Object value) {
        if (tag(value) < 0) {
            throw new IllegalArgumentException("SqlWrite '" + key + "': parameter " + position + " has type "
                    + value.getClass().getName() + ", which cannot be buffered; supported: " + SUPPORTED);
        }
    }

    private static int tag(Object value) {
        if (value == null) {
            return NULL;
        }
        Class<?> type = value.getClass();
        for (int tag = 0; tag < TYPES.length; tag++) {
            if (TYPES[tag] == type) {
                return tag;
            }
        }
        return -1;
    }

    static void write(DataOutputStream out, Object value) throws IOException {
        int tag = tag(value);
        out.writeByte(tag);
        switch (tag) {
            case NULL -> { }
            case STRING -> bytes(out, ((String) value).getBytes(StandardCharsets.UTF_8));
            case SHORT -> out.writeShort((Short) value);
            case INT -> out.writeInt((Integer) value);
            case LONG -> out.writeLong((Long) value);
            case DECIMAL -> {
                BigDecimal d = (BigDecimal) value;
                out.writeInt(d.scale());
                bytes(out, d.unscaledValue().toByteArray());
            }
            case DOUBLE -> out.writeDouble((Double) value);
            case FLOAT -> out.writeFloat((Float) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case BYTES -> bytes(out, (byte[]) value);
            case TIMESTAMP -> {
                Timestamp t = (Timestamp) value;
                out.writeLong(Math.floorDiv(t.getTime(), 1000L));
                out.writeInt(t.getNanos());
            }
            case DATE -> out.writeLong(((Date) value).toLocalDate().toEpochDay());
            case LOCAL_DATE -> out.writeLong(((LocalDate) value).toEpochDay());
            case LOCAL_DATE_TIME -> {
                LocalDateTime t = (LocalDateTime) value;
                out.writeLong(t.toLocalDate().toEpochDay());
                out.writeLong(t.toLocalTime().toNanoOfDay());
            }
            default -> throw new IllegalStateException("unchecked parameter type " + value.getClass().getName());
        }
    }

    static Object read(DataInputStream in, int position) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case NULL -> null;
            case STRING -> new String(bytes(in), StandardCharsets.UTF_8);
            case SHORT -> in.readShort();
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DECIMAL -> {
                int scale = in.readInt();
                yield new BigDecimal(new BigInteger(nonEmpty(bytes(in), position)), scale);
            }
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case BOOLEAN -> in.readBoolean();
            case BYTES -> bytes(in);
            case TIMESTAMP -> {
                Timestamp t = new Timestamp(Math.multiplyExact(in.readLong(), 1000L));
                int nanos = in.readInt();
                if (nanos < 0 || nanos > 999_999_999) {
                    throw new IOException("parameter " + position + ": timestamp nanos " + nanos + " out of range");
                }
                t.setNanos(nanos);
                yield t;
            }
            case DATE -> Date.valueOf(LocalDate.ofEpochDay(in.readLong()));
            case LOCAL_DATE -> LocalDate.ofEpochDay(in.readLong());
            case LOCAL_DATE_TIME -> LocalDateTime.of(LocalDate.ofEpochDay(in.readLong()),
                    java.time.LocalTime.ofNanoOfDay(in.readLong()));
            default -> throw new IOException("parameter " + position + " has unknown type tag " + tag);
        };
    }

    /** Binds a decoded value the way JDBC drivers agree on for its type. */
    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (tag(value)) {
            case NULL -> statement.setNull(index, Types.NULL);
            case STRING -> statement.setString(index, (String) value);
            case SHORT -> statement.setShort(index, (Short) value);
            case INT -> statement.setInt(index, (Integer) value);
            case LONG -> statement.setLong(index, (Long) value);
            case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) value);
            case DOUBLE -> statement.setDouble(index, (Double) value);
            case FLOAT -> statement.setFloat(index, (Float) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case BYTES -> statement.setBytes(index, (byte[]) value);
            case TIMESTAMP -> statement.setTimestamp(index, (Timestamp) value);
            case DATE -> statement.setDate(index, (Date) value);
            default -> statement.setObject(index, value);
        }
    }

    private static byte[] nonEmpty(byte[] bytes, int position) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("parameter " + position + ": decimal without digits");
        }
        return bytes;
    }

    static void bytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("length " + length + " exceeds the " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }
}
