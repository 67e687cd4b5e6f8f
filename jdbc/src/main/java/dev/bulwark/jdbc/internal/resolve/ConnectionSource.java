package dev.bulwark.jdbc.internal.resolve;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Opens a new connection for resolution. Each call must return a connection other than the one
 * that failed; it should be bounded in time by the pool or driver (acquire or login timeout).
 */
@FunctionalInterface
public interface ConnectionSource {

    /** A new connection; the caller closes it. */
    Connection open() throws SQLException;

    /** Connections from {@code dataSource.getConnection()}. */
    static ConnectionSource of(DataSource dataSource) {
        return dataSource::getConnection;
    }
}
