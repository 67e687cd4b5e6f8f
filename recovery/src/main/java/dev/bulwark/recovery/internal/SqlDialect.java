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
