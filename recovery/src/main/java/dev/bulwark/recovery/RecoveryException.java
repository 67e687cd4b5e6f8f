package dev.bulwark.recovery;

import java.sql.SQLException;

/**
 * A refusal or integrity failure reported by Bulwark's recovery tools: an unknown or unsafe table
 * name, a corrupted backup, a restore whose table checksums do not match the backup, a target that
 * is not empty.
 *
 * <p>The SQLState says which: {@code 42602} invalid name, {@code 42622} name too long for the target, {@code 42P01} unknown table,
 * {@code XX001} corrupted data, {@code 55000} target not in the required state, {@code 0A000} not
 * supported. Immutable, like every exception once thrown.
 */
public class RecoveryException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** SQLState for a name that is refused. */
    public static final String INVALID_NAME = "42602";
    /** SQLState for a name longer than the target database keeps (PostgreSQL 63 bytes, MariaDB 64 characters). */
    public static final String NAME_TOO_LONG = "42622";
    /** SQLState for a table that does not exist. */
    public static final String UNKNOWN_TABLE = "42P01";
    /** SQLState for corrupted data: a backup file or a table that does not match its checksum. */
    public static final String CORRUPTED = "XX001";
    /** SQLState for a target that is not in the required state (for example not empty). */
    public static final String WRONG_STATE = "55000";
    /** SQLState for a database or type that the operation does not support. */
    public static final String NOT_SUPPORTED = "0A000";

    /** An exception with a message for a person and one of the SQLStates above. */
    public RecoveryException(String message, String sqlState) {
        super(message, sqlState);
    }

    /** The same, keeping the underlying cause. */
    public RecoveryException(String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
    }
}
