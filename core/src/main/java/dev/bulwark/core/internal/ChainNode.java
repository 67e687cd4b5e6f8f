package dev.bulwark.core.internal;

import java.sql.SQLException;

/**
 * One exception met while walking a failure's chain, with the codes read from it once.
 *
 * <p>Immutable.
 *
 * @param throwable  the exception
 * @param sqlState   its SQLState, or {@code null} (not a {@link SQLException}, or none reported)
 * @param vendorCode its vendor code, or {@code 0}
 * @param path       how it was reached from the classified failure, such as {@code cause.next}
 * @param depth      the number of links from the classified failure
 */
public record ChainNode(Throwable throwable, String sqlState, int vendorCode, String path, int depth) {

    /** Whether the exception is a {@link SQLException}, so that its vendor code means something. */
    public boolean isSqlException() {
        return throwable instanceof SQLException;
    }

    /** The exception's class name, for details. */
    public String className() {
        return throwable.getClass().getName();
    }
}
