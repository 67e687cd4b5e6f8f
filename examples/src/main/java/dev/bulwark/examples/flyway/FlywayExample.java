package dev.bulwark.examples.flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The {@code jdbc:bulwark:} URL with Flyway.
 *
 * <p>Putting {@code bulwark:} after {@code jdbc:} gives any JDBC tool Bulwark without code changes. Flyway,
 * however, refuses a URL string it has no database plugin for ({@code Flyway.configure().dataSource(
 * "jdbc:bulwark:...", user, password)} fails with "No Flyway database plugin found"). Give it a DataSource
 * instead: here a HikariCP pool configured with the bulwark URL. Flyway then recognises the database from the
 * connections' metadata (the real driver's), and every migration statement runs through Bulwark's
 * classification and connection handling. The migrations are {@code src/main/resources/db/flyway-example}.
 *
 * <pre>
 * ./mvnw -q -ntp -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.flyway.FlywayExample \
 *     [-Dexec.args="jdbc:bulwark:sqlite:/tmp/app.db"]
 * </pre>
 *
 * Stateless; {@link #migrate} is thread-safe.
 */
public final class FlywayExample {

    /** Where the example's migrations are on the class path. */
    public static final String LOCATION = "classpath:db/flyway-example";

    private FlywayExample() {
    }

    /** Migrates the database at the bulwark URL given, else a temporary SQLite file. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0]
                : "jdbc:bulwark:sqlite:" + Files.createTempDirectory("bulwark-flyway").resolve("app.db");
        MigrateResult result = migrate(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"));
        System.out.println("migrations executed: " + result.migrationsExecuted + ", schema now at version "
                + result.targetSchemaVersion);
    }

    /**
     * Runs the example's migrations against {@code bulwarkUrl} (a {@code jdbc:bulwark:...} URL) through a
     * HikariCP pool.
     *
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public static MigrateResult migrate(String bulwarkUrl, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(bulwarkUrl);           // HikariCP finds Bulwark's driver through DriverManager
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(2);
        hc.setPoolName("flyway-example");
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            return Flyway.configure()
                    .dataSource(pool)            // not .dataSource(bulwarkUrl, ...): Flyway has no plugin for that URL
                    .locations(LOCATION)
                    .load()
                    .migrate();
        }
    }
}
