package dev.bulwark.jdbc.internal;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The primary text of a PostgreSQL server error as pgjdbc received it: {@code ServerErrorMessage.getMessage()},
 * without the Detail, Hint, Where and Position fields that pgjdbc appends to its exception's message (Detail holds
 * row data: {@code Key (email)=(bob@example.com) already exists}).
 *
 * <p>pgjdbc is an optional dependency: this class is touched only after {@link SqlExceptions} has found pgjdbc
 * on Bulwark's class path. Stateless and thread-safe.
 */
final class PgServerText {

    private PgServerText() {
    }

    /** The server's primary message carried by {@code t}, or {@code null} when {@code t} carries none. */
    static String primary(Throwable t) {
        if (t instanceof PSQLException e) {
            ServerErrorMessage message = e.getServerErrorMessage();
            return message == null ? null : message.getMessage();
        }
        return null;
    }
}
