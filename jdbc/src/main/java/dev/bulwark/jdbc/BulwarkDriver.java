package dev.bulwark.jdbc;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.jdbc.internal.BulwarkUrl;
import dev.bulwark.jdbc.internal.TargetDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The {@code jdbc:bulwark:<any JDBC URL without its jdbc: prefix>} driver: gives any JDBC tool (Flyway,
 * a pool, an IDE) Bulwark's protection by changing only the URL, for example
 * {@code jdbc:bulwark:postgresql://db/app?bulwark.retry.maxAttempts=5}. Flyway picks its database support
 * by URL: add {@code bulwark-flyway} for it to take this URL, or give it a DataSource configured with it.
 *
 * <p>{@code bulwark.*} settings are taken from the URL and the connection Properties and removed before the
 * real driver sees them. Connections to the same target (URL, user and settings) share one
 * {@link BulwarkDataSource}, hence one circuit breaker. Registered through the service loader.
 * Thread-safe.
 */
public final class BulwarkDriver implements Driver {

    private static final BulwarkDriver INSTANCE = new BulwarkDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<String, BulwarkDataSource> targets = new ConcurrentHashMap<>();

    /** Called by the service loader; use {@link DriverManager} rather than this constructor. */
    public BulwarkDriver() {
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC contract: another driver's URL
        }
        BulwarkUrl parsed = BulwarkUrl.parse(url, info);
        String key = parsed.targetUrl() + '\u0000' + parsed.targetProperties().getProperty("user", "")
                + '\u0000' + parsed.settings();
        BulwarkDataSource ds = targets.get(key);
        if (ds == null) {
            BulwarkConfig config = config(parsed);
            ds = targets.computeIfAbsent(key, k -> Bulwark.wrap(
                    new TargetDataSource(parsed.targetUrl(), parsed.targetProperties()), config));
        }
        return ds.getConnection();
    }

    private static BulwarkConfig config(BulwarkUrl parsed) throws SQLException {
        Properties settings = new Properties();
        settings.putAll(parsed.settings());
        try {
            return BulwarkConfig.fromProperties(settings);
        } catch (IllegalArgumentException e) {
            throw new SQLException("bad Bulwark setting in " + parsed.maskedTargetUrl() + ": " + e.getMessage(),
                    "08001", e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return BulwarkUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        BulwarkUrl parsed = BulwarkUrl.parse(url, info);
        Driver real = DriverManager.getDriver(parsed.targetUrl());
        return real.getPropertyInfo(parsed.targetUrl(), parsed.targetProperties());
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false; // compliance is the wrapped driver's
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Bulwark logs through SLF4J");
    }
}
