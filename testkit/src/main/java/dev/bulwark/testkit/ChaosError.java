package dev.bulwark.testkit;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@link SQLException} a {@link ChaosRule} raises: its SQLState, vendor code, JDK exception class
 * and message.
 *
 * <pre>{@code
 * ChaosError.of("40001");                                   // SQLTransactionRollbackException, derived from class 40
 * ChaosError.of("40001").withVendorCode(1213);              // as MariaDB reports a deadlock
 * ChaosError.of("08006").withType(ChaosError.Type.NON_TRANSIENT_CONNECTION);
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@code with*} returns a copy.
 *
 * @param sqlState five characters, digits and upper-case letters
 * @param vendorCode the driver-specific error code
 * @param type which JDK subclass of {@link SQLException} is thrown
 * @param message the message of the exception (never include secrets or bind values)
 */
public record ChaosError(String sqlState, int vendorCode, Type type, String message) {

    private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");

    /** The JDK class of the raised exception. */
    public enum Type {
        /** Chosen from the SQLState class, as the JDBC specification maps them (see {@link #derive}). */
        DERIVED,
        /** Plain {@link SQLException}. */
        PLAIN,
        /** {@link SQLTransientConnectionException}. */
        TRANSIENT_CONNECTION,
        /** {@link SQLNonTransientConnectionException}. */
        NON_TRANSIENT_CONNECTION,
        /** {@link SQLTransactionRollbackException}. */
        TRANSACTION_ROLLBACK,
        /** {@link SQLTimeoutException}. */
        TIMEOUT,
        /** {@link SQLTransientException}. */
        TRANSIENT,
        /** {@link SQLNonTransientException}. */
        NON_TRANSIENT,
        /** {@link SQLRecoverableException}. */
        RECOVERABLE,
        /** {@link SQLIntegrityConstraintViolationException}. */
        INTEGRITY_CONSTRAINT,
        /** {@link SQLSyntaxErrorException}. */
        SYNTAX_ERROR,
        /** {@link SQLDataException}. */
        DATA,
        /** {@link SQLInvalidAuthorizationSpecException}. */
        INVALID_AUTHORIZATION,
        /** {@link SQLFeatureNotSupportedException}. */
        FEATURE_NOT_SUPPORTED
    }

    /**
     * Validates the parts.
     *
     * @throws IllegalArgumentException if the SQLState is not five digits or upper-case letters
     * @throws NullPointerException if a part is null
     */
    public ChaosError {
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        if (!SQL_STATE.matcher(sqlState).matches()) {
            throw new IllegalArgumentException("ChaosError sqlState must be 5 characters [0-9A-Z], was '"
                    + sqlState + "'");
        }
    }

    /**
     * An error with this SQLState, vendor code 0, the class {@linkplain Type#DERIVED derived} from the
     * SQLState and a message naming the SQLState.
     *
     * @throws IllegalArgumentException if the SQLState is not five digits or upper-case letters
     */
    public static ChaosError of(String sqlState) {
        return new ChaosError(sqlState, 0, Type.DERIVED, "injected SQLState " + sqlState);
    }

    /** A copy with this vendor code ({@link SQLException#getErrorCode()}). */
    public ChaosError withVendorCode(int code) {
        return new ChaosError(sqlState, code, type, message);
    }

    /** A copy that raises this JDK exception class. */
    public ChaosError withType(Type newType) {
        return new ChaosError(sqlState, vendorCode, newType, message);
    }

    /** A copy with this message. */
    public ChaosError withMessage(String newMessage) {
        return new ChaosError(sqlState, vendorCode, type, newMessage);
    }

    /**
     * The class used for {@link Type#DERIVED}: 08 connection (transient: a new connection may
     * succeed), 40 transaction rollback, 0A feature not supported, 22 data, 23 integrity constraint,
     * 28 invalid authorization, 42 syntax error or access rule, HYT00/HYT01 timeout, else plain.
     */
    public static Type derive(String sqlState) {
        if (sqlState.equals("HYT00") || sqlState.equals("HYT01")) {
            return Type.TIMEOUT;
        }
        return switch (sqlState.substring(0, 2)) {
            case "08" -> Type.TRANSIENT_CONNECTION;
            case "40" -> Type.TRANSACTION_ROLLBACK;
            case "0A" -> Type.FEATURE_NOT_SUPPORTED;
            case "22" -> Type.DATA;
            case "23" -> Type.INTEGRITY_CONSTRAINT;
            case "28" -> Type.INVALID_AUTHORIZATION;
            case "42" -> Type.SYNTAX_ERROR;
            default -> Type.PLAIN;
        };
    }

    /** A new exception of this error, its message prefixed with {@code prefix}. */
    public SQLException toException(String prefix) {
        String text = prefix + message;
        Type effective = type == Type.DERIVED ? derive(sqlState) : type;
        return switch (effective) {
            case DERIVED, PLAIN -> new SQLException(text, sqlState, vendorCode);
            case TRANSIENT_CONNECTION -> new SQLTransientConnectionException(text, sqlState, vendorCode);
            case NON_TRANSIENT_CONNECTION -> new SQLNonTransientConnectionException(text, sqlState, vendorCode);
            case TRANSACTION_ROLLBACK -> new SQLTransactionRollbackException(text, sqlState, vendorCode);
            case TIMEOUT -> new SQLTimeoutException(text, sqlState, vendorCode);
            case TRANSIENT -> new SQLTransientException(text, sqlState, vendorCode);
            case NON_TRANSIENT -> new SQLNonTransientException(text, sqlState, vendorCode);
            case RECOVERABLE -> new SQLRecoverableException(text, sqlState, vendorCode);
            case INTEGRITY_CONSTRAINT -> new SQLIntegrityConstraintViolationException(text, sqlState, vendorCode);
            case SYNTAX_ERROR -> new SQLSyntaxErrorException(text, sqlState, vendorCode);
            case DATA -> new SQLDataException(text, sqlState, vendorCode);
            case INVALID_AUTHORIZATION -> new SQLInvalidAuthorizationSpecException(text, sqlState, vendorCode);
            case FEATURE_NOT_SUPPORTED -> new SQLFeatureNotSupportedException(text, sqlState, vendorCode);
        };
    }
}
