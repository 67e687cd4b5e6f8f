package dev.bulwark.flyway;

import dev.bulwark.jdbc.BulwarkDriver;
import java.sql.Connection;
import org.flywaydb.database.mysql.mariadb.MariaDBDatabaseType;

/**
 * Flyway's MariaDB support for {@code jdbc:bulwark:} URLs: {@code jdbc:bulwark:mariadb:}. Everything but the URL match and the
 * driver is Flyway's own MariaDBDatabaseType. Plain DataSources and plain URLs are left to Flyway's own type. Stateless.
 */
public final class BulwarkMariaDBDatabaseType extends MariaDBDatabaseType {

    @Override
    public String getName() {
        return "Bulwark " + super.getName();
    }

    @Override
    public boolean handlesJDBCUrl(String url) {
        return BulwarkUrls.wraps(url, "mariadb");
    }

    @Override
    public String getDriverClass(String url, ClassLoader classLoader) {
        return BulwarkDriver.class.getName();
    }

    /** Chosen by URL only: a DataSource of this database is Flyway's own type's business. */
    @Override
    public boolean handlesDatabaseProductNameAndVersion(String productName, String version, Connection connection) {
        return false;
    }
}
