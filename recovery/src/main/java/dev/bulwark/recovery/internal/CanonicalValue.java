package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The canonical text of one column value for {@code TableChecksum}: the same value gives the same
 * bytes on PostgreSQL, MariaDB and SQLite. See docs/recovery.md, "Table checksums", for the table.
 */
public enum CanonicalValue {
    /** Exact numbers (integers, decimals): plain decimal text, trailing zeros stripped. */
    NUMBER,
    /** Binary floating point: Java's shortest round-trip text of the double value. */
    FLOAT,
    /** Booleans: {@code true} or {@code false}. */
    BOOLEAN,
    /** Character data: the text as UTF-8. */
    TEXT,
    /** Binary data: lower-case hex. */
    BYTES,
    /** Dates: ISO-8601 {@code yyyy-MM-dd}. */
    DATE,
    /** Times of day: ISO-8601 {@code HH:mm:ss[.fraction]}. */
    TIME,
    /** Timestamps: ISO-8601 UTC instant; values without zone are read as UTC. */
    TIMESTAMP,
    /** Timestamps with zone: ISO-8601 UTC instant. */
    TIMESTAMP_TZ,
    /** Anything else (UUID, JSON, arrays, intervals): the driver's text; not comparable across databases. */
    OTHER;

    private static final DateTimeFormatter SQLITE_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().appendPattern("HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd().toFormatter(Locale.ROOT);

    /** The kind of a result column, from its JDBC type and type name. */
    public static CanonicalValue of(ResultSetMetaData md, int column) throws SQLException {
        int type = md.getColumnType(column);
        String name = String.valueOf(md.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
        return switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC -> NUMBER;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOAT;
            case Types.BIT, Types.BOOLEAN -> name.startsWith("bit") && !name.equals("bit") ? OTHER : BOOLEAN;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> TEXT;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BYTES;
            case Types.DATE -> DATE;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> TIME;
            case Types.TIMESTAMP -> name.contains("tz") || name.contains("with time zone") ? TIMESTAMP_TZ : TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            default -> OTHER;
        };
    }

    /**
     * The kind of a result column. SQLite columns are classified by their declared type, because
     * sqlite-jdbc derives the JDBC type from the current row's value and so varies row by row.
     */
    public static CanonicalValue of(ResultSetMetaData md, int column, Dialect dialect, String declaredType)
            throws SQLException {
        return dialect == Dialect.SQLITE ? fromDeclared(declaredType) : of(md, column);
    }

    /**
     * The kind of a declared column type, by name fragments in the spirit of SQLite's affinity rules
     * (text before integer, so {@code TINYTEXT} is text).
     */
    public static CanonicalValue fromDeclared(String declaredType) {
        String t = declaredType == null ? "" : declaredType.toLowerCase(Locale.ROOT);
        if (t.contains("bool")) {
            return BOOLEAN;
        }
        if (t.contains("char") || t.contains("text") || t.contains("clob")) {
            return TEXT;
        }
        if (t.contains("timestamptz") || (t.contains("timestamp") && t.contains("with time zone"))) {
            return TIMESTAMP_TZ;
        }
        if (t.contains("timestamp") || t.contains("datetime")) {
            return TIMESTAMP;
        }
        if (t.contains("date")) {
            return DATE;
        }
        if (t.startsWith("time")) {
            return TIME;
        }
        if (t.contains("int") || t.contains("dec") || t.contains("numeric")) {
            return NUMBER;
        }
        if (t.contains("real") || t.contains("floa") || t.contains("doub")) {
            return FLOAT;
        }
        if (t.contains("blob") || t.contains("binary") || t.contains("bytea")) {
            return BYTES;
        }
        return OTHER;
    }

    /** The canonical bytes of the value in {@code column}, or {@code null} for SQL NULL. */
    public byte[] read(ResultSet rs, int column, Dialect dialect) throws SQLException {
        String text = switch (this) {
            case NUMBER -> {
                BigDecimal value = rs.getBigDecimal(column);
                yield value == null ? null : value.stripTrailingZeros().toPlainString();
            }
            case FLOAT -> {
                double value = rs.getDouble(column);
                yield rs.wasNull() ? null : Double.toString(value);
            }
            case BOOLEAN -> {
                boolean value = rs.getBoolean(column);
                yield rs.wasNull() ? null : Boolean.toString(value);
            }
            case BYTES -> {
                byte[] value = rs.getBytes(column);
                yield value == null ? null : HexFormat.of().formatHex(value);
            }
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> dialect == Dialect.SQLITE ? sqliteTemporal(rs, column)
                    : temporal(rs, column);
            case TEXT, OTHER -> rs.getString(column);
        };
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private String temporal(ResultSet rs, int column) throws SQLException {
        return switch (this) {
            case DATE -> format(rs.getObject(column, LocalDate.class));
            case TIME -> format(rs.getObject(column, LocalTime.class));
            case TIMESTAMP -> {
                LocalDateTime value = rs.getObject(column, LocalDateTime.class);
                yield value == null ? null : value.toInstant(ZoneOffset.UTC).toString();
            }
            default -> {
                OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                yield value == null ? null : value.toInstant().toString();
            }
        };
    }

    /** SQLite has no date type: text in ISO form, or integer milliseconds (sqlite-jdbc's default). */
    private String sqliteTemporal(ResultSet rs, int column) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        Instant instant;
        if (raw instanceof Number millis) {
            instant = Instant.ofEpochMilli(millis.longValue());
        } else {
            String text = raw.toString().trim();
            if (this == TIME) {
                return format(LocalTime.parse(text));
            }
            if (this == DATE && text.length() == 10) {
                return format(LocalDate.parse(text));
            }
            var parsed = SQLITE_TIMESTAMP.parse(text);
            LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed),
                    parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT);
            instant = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? local.toInstant(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)))
                    : local.toInstant(ZoneOffset.UTC);
        }
        return switch (this) {
            case DATE -> format(instant.atOffset(ZoneOffset.UTC).toLocalDate());
            case TIME -> format(instant.atOffset(ZoneOffset.UTC).toLocalTime());
            default -> instant.toString();
        };
    }

    private static String format(LocalDate value) {
        return value == null ? null : value.toString();
    }

    private static String format(LocalTime value) {
        return value == null ? null : DateTimeFormatter.ISO_LOCAL_TIME.format(value);
    }
}
