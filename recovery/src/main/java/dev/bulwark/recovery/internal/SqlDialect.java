package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.RecoveryException;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How identifiers are validated and quoted, and how values are ordered, for one database family.
 * Names are never concatenated raw: each goes through {@link #quote(String)}. Thread-safe (immutable).
 */
public record SqlDialect(Dialect dialect) {

    /** Longest identifier accepted; the servers' own limits (63 PostgreSQL, 64 MariaDB) are lower. */
    static final int MAX_NAME_LENGTH = 128;

    /** The dialect of an open connection. */
    public static SqlDialect of(Connection connection) throws SQLException {
        return new SqlDialect(Dialect.fromMetaData(connection.getMetaData()));
    }

    /**
     * Checks that a name can be quoted safely: not empty, not longer than 128 characters, no control
     * characters (NUL would truncate the statement in some drivers).
     *
     * @throws RecoveryException (SQLState 42602) naming what is wrong
     */
    public static String validate(String what, String name) throws RecoveryException {
        if (name == null || name.isEmpty()) {
            throw new RecoveryException(what + ": a name is required (it was " + (name == null ? "null" : "empty") + ")",
                    RecoveryException.INVALID_NAME);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new RecoveryException(what + ": name longer than " + MAX_NAME_LENGTH + " characters",
                    RecoveryException.INVALID_NAME);
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new RecoveryException(what + ": name " + printable(name) + " contains a control character at "
                        + i, RecoveryException.INVALID_NAME);
            }
        }
        return name;
    }

    /** A name as it may appear in a message: quoted, control characters escaped. */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(MAX_NAME_LENGTH).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }

    /**
     * Checks that the database keeps a name as it is: PostgreSQL truncates identifiers longer than 63
     * bytes (UTF-8) to 63 bytes, MariaDB/MySQL refuse more than 64 characters, SQLite has no limit.
     * Called before anything is written, so a long name cannot create a table under a truncated name.
     *
     * @throws RecoveryException (42622) naming {@code what}, the name and the limit
     */
    public void checkLength(String what, String name) throws RecoveryException {
        validate(what, name);
        int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        int characters = name.codePointCount(0, name.length());
        String limit = switch (dialect) {
            case POSTGRESQL -> bytes > 63 ? "PostgreSQL keeps 63 bytes of an identifier (this one has " + bytes + ")" : null;
            case MYSQL -> characters > 64 ? "MariaDB/MySQL allow 64 characters in an identifier (this one has "
                    + characters + ")" : null;
            default -> null;
        };
        if (limit != null) {
            throw new RecoveryException(what + ": name " + printable(name) + " is too long for the target: " + limit
                    + "; rename it first", RecoveryException.NAME_TOO_LONG);
        }
    }

    /** The identifier quoted for this dialect, embedded quote characters doubled. */
    public String quote(String name) throws RecoveryException {
        validate("identifier", name);
        if (dialect == Dialect.MYSQL) {
            return '`' + name.replace("`", "``") + '`';
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * An ORDER BY term that sorts by the bytes of the value, so that text keys come out in the same
     * order on every database (PostgreSQL collation "C", MariaDB BINARY, SQLite's default BINARY).
     */
    public String byteOrder(String name, boolean textual) throws RecoveryException {
        String quoted = quote(name);
        if (!textual) {
            return quoted;
        }
        return switch (dialect) {
            case POSTGRESQL -> quoted + " COLLATE \"C\"";
            case MYSQL -> "BINARY " + quoted;
            default -> quoted;
        };
    }
}
