package dev.bulwark.jdbc.internal;

import java.sql.SQLNonTransientConnectionException;

/**
 * The real driver behind a {@code jdbc:bulwark:} URL refused what it was given (a parameter it does not
 * accept, no password where one is required, or an unchecked exception from its {@code connect}) before any
 * network exchange failed: a configuration error, SQLState 08001. The driver's data sources classify it as
 * PROGRAMMING, so it is never retried and never counted by the breaker.
 */
public final class TargetConfigurationException extends SQLNonTransientConnectionException {

    private static final long serialVersionUID = 1L;

    TargetConfigurationException(String message, Throwable cause) {
        super(message, "08001", cause);
    }
}
