package dev.bulwark.examples.flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The {@code jdbc:bulwark:} URL with Flyway.
 *
 * <p>Putting {@code bulwark:} after {@code jdbc:} gives any JDBC tool Bulwark without code changes. Flyway
 * picks its database support by URL, so it needs {@code bulwark-flyway} on the class path to take the URL
 * string itself ({@link #migrate}); without it, Flyway says "No Flyway database plugin found". Either way it
 * can be given a DataSource configured with the bulwark URL instead ({@link #migrateWithPool}), such as a
 * HikariCP pool. Every migration statement then runs through Bulwark's classification, retries and
 * connection handling. The migrations are {@code src/main/resources/db/flyway-example}.
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
     * Runs the example's migrations against {@code bulwarkUrl} (a {@code jdbc:bulwark:...} URL), handing
     * Flyway the URL itself (this needs {@code bulwark-flyway} on the class path).
     *
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public static MigrateResult migrate(String bulwarkUrl, String user, String password) {
        return Flyway.configure().dataSource(bulwarkUrl, user, password).locations(LOCATION).load().migrate();
    }

    /**
     * The same through a HikariCP pool configured with the bulwark URL, for applications that already hand
     * Flyway their pool.
     *
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public static MigrateResult migrateWithPool(String bulwarkUrl, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(bulwarkUrl);           // HikariCP finds Bulwark's driver through DriverManager
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(2);
        hc.setPoolName("flyway-example");
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            return Flyway.configure()
                    .dataSource(pool)
                    .locations(LOCATION)
                    .load()
                    .migrate();
        }
    }
}
