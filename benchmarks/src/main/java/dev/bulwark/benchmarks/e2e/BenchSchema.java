package dev.bulwark.benchmarks.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh schema holding a pgbench-like {@code accounts} table, created for one run and dropped after it,
 * so the shared database is left as it was.
 */
final class BenchSchema implements AutoCloseable {

    private final String adminUrl;
    private final Properties credentials;
    private final String name;

    private BenchSchema(String adminUrl, Properties credentials, String name) {
        this.adminUrl = adminUrl;
        this.credentials = credentials;
        this.name = name;
    }

    /** Creates the schema and fills {@code accounts} with {@code rows} rows (aid 1..rows). */
    static BenchSchema create(String adminUrl, String user, String password, int rows) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        String name = "bulwark_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        BenchSchema schema = new BenchSchema(adminUrl, credentials, name);
        try (Connection c = DriverManager.getConnection(adminUrl, credentials); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
            s.execute("CREATE TABLE " + name + ".accounts (aid integer PRIMARY KEY, bid integer NOT NULL, "
                    + "abalance integer NOT NULL, filler char(84))");
            s.execute("INSERT INTO " + name + ".accounts SELECT g, 1 + (g - 1) / 100000, 0, '' "
                    + "FROM generate_series(1, " + rows + ") g");
            s.execute("VACUUM ANALYZE " + name + ".accounts");
        } catch (SQLException e) {
            schema.close();
            throw e;
        }
        return schema;
    }

    String name() {
        return name;
    }

    /** {@code baseUrl} with this schema as the search path. */
    String urlFor(String baseUrl) {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, credentials); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
