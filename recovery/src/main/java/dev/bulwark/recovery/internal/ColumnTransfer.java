package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Moves one column's values between two databases by the target column's kind, going through the
 * canonical form of {@link CanonicalValue} for dates and times, so that the copy has the same
 * {@code TableChecksum} as the source (SQLite stores them as ISO text).
 */
record ColumnTransfer(CanonicalValue sourceKind, CanonicalValue targetKind, Dialect source, Dialect target) {

    /** Reads the value of {@code column} in the form {@link #bind} expects; {@code null} for SQL NULL. */
    Object read(ResultSet rs, int column) throws SQLException {
        Object value = switch (targetKind) {
            case NUMBER -> rs.getBigDecimal(column);
            case FLOAT -> rs.getDouble(column);
            case BOOLEAN -> rs.getBoolean(column);
            case BYTES -> rs.getBytes(column);
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> isTemporal(sourceKind) ? text(sourceKind.read(rs, column, source))
                    : rs.getString(column);
            case TEXT, OTHER -> rs.getString(column);
        };
        return rs.wasNull() ? null : value;
    }

    /** Binds a value read by {@link #read} to parameter {@code index}. */
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (isTemporal(targetKind) && target != Dialect.SQLITE) {
            ps.setObject(index, temporal((String) value));
        } else if (targetKind == CanonicalValue.OTHER && target == Dialect.POSTGRESQL) {
            ps.setObject(index, value, Types.OTHER); // let the server cast text to uuid, json, ...
        } else if (value instanceof BigDecimal number) {
            ps.setBigDecimal(index, number);
        } else {
            ps.setObject(index, value);
        }
    }

    /** The value as a canonical key component (for comparing keys across databases). */
    static String keyText(Object value) throws RecoveryException {
        if (value instanceof BigDecimal number) {
            return number.stripTrailingZeros().toPlainString();
        }
        if (value instanceof String text) {
            return text;
        }
        throw new RecoveryException("primary key values of type " + (value == null ? "null" : value.getClass().getSimpleName())
                + " cannot be used to chunk a copy (integer, decimal and text keys can)", RecoveryException.NOT_SUPPORTED);
    }

    private Object temporal(String canonical) {
        String text = canonical.trim();
        return switch (targetKind) {
            case DATE -> LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
            case TIME -> LocalTime.parse(text);
            case TIMESTAMP -> toInstant(text).atOffset(ZoneOffset.UTC).toLocalDateTime();
            default -> toInstant(text).atOffset(ZoneOffset.UTC);
        };
    }

    private static Instant toInstant(String text) {
        if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return java.time.OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        }
        String iso = text.replace(' ', 'T');
        return (iso.length() == 10 ? LocalDate.parse(iso).atStartOfDay() : LocalDateTime.parse(iso)).toInstant(ZoneOffset.UTC);
    }

    private static String text(byte[] canonical) {
        return canonical == null ? null : new String(canonical, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean isTemporal(CanonicalValue kind) {
        return kind == CanonicalValue.DATE || kind == CanonicalValue.TIME || kind == CanonicalValue.TIMESTAMP
                || kind == CanonicalValue.TIMESTAMP_TZ;
    }
}
