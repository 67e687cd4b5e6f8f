package dev.bulwark.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The servers whose transaction control a unit of work speaks explicitly: how a read-only transaction is
 * opened on the server, and which statements commit implicitly.
 */
enum ServerFamily {
    /** PostgreSQL and the PostgreSQL-wire engines: {@code SET TRANSACTION READ ONLY}; DDL is transactional. */
    POSTGRES,
    /** MySQL and MariaDB: {@code START TRANSACTION READ ONLY}; DDL commits implicitly. */
    MYSQL,
    /** SQLite: {@code BEGIN IMMEDIATE} for writers, {@code PRAGMA query_only} for readers. */
    SQLITE,
    /** Anything else: the driver's {@code setReadOnly(true)}, which the server may not enforce. */
    OTHER;

    /** Reads the product name of {@code c}'s database once. */
    static ServerFamily of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MYSQL;
        }
        return p.contains("sqlite") ? SQLITE : OTHER;
    }

    /** Whether a read-only unit is refused writes by the server itself, so that running it again is safe. */
    boolean enforcesReadOnly() {
        return this != OTHER;
    }
}
