package dev.bulwark.jdbc.internal.resolve;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The database families that commit resolution treats differently. */
enum Dialect {
    POSTGRESQL("postgresql"),
    MARIADB("mariadb"),
    /** MySQL: like MariaDB, but without {@code INSERT ... RETURNING} and {@code SET STATEMENT}. */
    MYSQL("mariadb"),
    SQLITE("sqlite"),
    OTHER(null);

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** The folder of the shipped migration under {@code META-INF/bulwark/migrations/}; null for OTHER. */
    String migrationFolder() {
        return migrationFolder;
    }

    static Dialect of(Connection connection) throws SQLException {
        return ofProductName(connection.getMetaData().getDatabaseProductName());
    }

    static Dialect ofProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb")) {
            return MARIADB;
        }
        if (name.contains("mysql")) {
            return MYSQL;
        }
        if (name.contains("sqlite")) {
            return SQLITE;
        }
        return OTHER;
    }
}
