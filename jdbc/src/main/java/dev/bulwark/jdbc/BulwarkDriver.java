package dev.bulwark.jdbc;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.FaultRule;
import dev.bulwark.core.Faults;
import dev.bulwark.core.internal.ConfigLoader;
import dev.bulwark.core.internal.PropertyValues;
import dev.bulwark.jdbc.internal.BulwarkUrl;
import dev.bulwark.jdbc.internal.Credentials;
import dev.bulwark.jdbc.internal.TargetConfigurationException;
import dev.bulwark.jdbc.internal.TargetDataSource;
import dev.bulwark.jdbc.internal.TargetKey;
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
 * real driver sees them; system properties and {@code BULWARK_*} environment variables apply on top, as in
 * {@link BulwarkConfig#load(Properties)}. Connections share one {@link BulwarkDataSource} (hence one circuit
 * breaker) only when everything their callers gave is the same: the target URL, every connection property,
 * the password included, and every setting; a caller's credentials never open another caller's connection.
 * At most {@value #MAX_TARGETS} such targets are kept; beyond that the least recently used one is dropped
 * (its open connections keep working; its breaker starts afresh if it comes back). Registered through the
 * service loader. Thread-safe.
 */
public final class BulwarkDriver implements Driver {

    /** The most targets kept at once. */
    static final int MAX_TARGETS = 64;

    /** The built-in rules, with the real driver's refusal of its settings never retried nor counted. */
    private static final FaultClassifier CLASSIFIER = Faults.custom()
            .withRule(FaultRule.onException(TargetConfigurationException.class, FaultKind.PROGRAMMING)).build();

    private static final BulwarkDriver INSTANCE = new BulwarkDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<TargetKey, Target> targets = new ConcurrentHashMap<>();

    /** Called by the service loader; use {@link DriverManager} rather than this constructor. */
    public BulwarkDriver() {
    }

    /** One target's data source, with when it was last used (for dropping the least recently used). */
    private static final class Target {
        final BulwarkDataSource dataSource;
        volatile long lastUsed;

        Target(BulwarkDataSource dataSource) {
            this.dataSource = dataSource;
            this.lastUsed = System.nanoTime();
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC contract: another driver's URL
        }
        BulwarkUrl parsed = BulwarkUrl.parse(url, info);
        TargetKey key = TargetKey.of(parsed);
        Target target = targets.get(key);
        if (target == null) {
            target = add(key, parsed);
        } else {
            target.lastUsed = System.nanoTime();
        }
        try {
            return target.dataSource.getConnection();
        } catch (SQLException e) {
            throw configurationErrorIn(e);
        }
    }

    /** The real driver's configuration error as it is (08001, its reason), or {@code e} for any other failure. */
    private static SQLException configurationErrorIn(SQLException e) {
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            if (cause instanceof TargetConfigurationException config) {
                return config;
            }
        }
        return e;
    }

    private Target add(TargetKey key, BulwarkUrl parsed) throws SQLException {
        BulwarkConfig config = config(parsed);
        requireDriverFor(parsed);
        Target created = new Target(Bulwark.builder(new TargetDataSource(parsed.targetUrl(),
                parsed.targetProperties())).withConfig(config).withClassifier(CLASSIFIER).build());
        Target winner = targets.putIfAbsent(key, created);
        if (winner != null) {
            return winner;
        }
        while (targets.size() > MAX_TARGETS) {
            dropLeastRecentlyUsed(key);
        }
        return created;
    }

    private void dropLeastRecentlyUsed(TargetKey keep) {
        TargetKey oldest = null;
        long oldestUse = 0;
        for (Map.Entry<TargetKey, Target> entry : targets.entrySet()) {
            long used = entry.getValue().lastUsed;
            if (!entry.getKey().equals(keep) && (oldest == null || used - oldestUse < 0)) {
                oldest = entry.getKey();
                oldestUse = used;
            }
        }
        if (oldest != null) {
            targets.remove(oldest);
        }
    }

    /**
     * The settings of the URL, then of the Properties (each checked on its own, so an error names its source),
     * then system properties and environment variables over them.
     */
    private static BulwarkConfig config(BulwarkUrl parsed) throws SQLException {
        try {
            ConfigLoader.applyKeys(new PropertyValues(), parsed.urlSettings(), "the URL");
            ConfigLoader.applyKeys(new PropertyValues(), parsed.propertySettings(), "the connection Properties");
            Properties settings = new Properties();
            settings.putAll(parsed.settings());
            return BulwarkConfig.load(settings, System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new SQLException("bad Bulwark setting for " + parsed.maskedTargetUrl() + ": " + e.getMessage(),
                    "08001", e);
        }
    }

    /** A URL no driver takes is a configuration error: reported at once, never retried or counted. */
    private static void requireDriverFor(BulwarkUrl parsed) throws SQLException {
        try {
            DriverManager.getDriver(parsed.targetUrl());
        } catch (SQLException e) {
            throw new SQLException("no JDBC driver on the class path accepts " + parsed.maskedTargetUrl()
                    + " (add the database's driver, or check the sub-protocol after jdbc:bulwark:)", "08001", e);
        }
    }

    /** The number of targets kept, for tests. */
    int targetCount() {
        return targets.size();
    }

    @Override
    public boolean acceptsURL(String url) {
        return BulwarkUrl.accepts(url);
    }

    /**
     * The real driver's property descriptions for the target, with the value of every secret property
     * ({@code password}, {@code sslpassword}, ...) left out: a tool shows these values.
     *
     * @throws SQLException with SQLState 08001 if the URL is malformed or no driver accepts its target
     */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        BulwarkUrl parsed = BulwarkUrl.parse(url, info);
        requireDriverFor(parsed);
        Driver real = DriverManager.getDriver(parsed.targetUrl());
        DriverPropertyInfo[] described = real.getPropertyInfo(parsed.targetUrl(), parsed.targetProperties());
        for (DriverPropertyInfo property : described) {
            if (Credentials.isSecretProperty(property.name)) {
                property.value = null;
            }
        }
        return described;
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
