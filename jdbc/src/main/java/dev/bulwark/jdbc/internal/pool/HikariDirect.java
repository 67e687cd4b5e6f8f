package dev.bulwark.jdbc.internal.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import com.zaxxer.hikari.util.PropertyElf;
import com.zaxxer.hikari.util.UtilityElf;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Opens a connection the way a HikariCP pool's configuration describes, without the pool: the same driver
 * or DataSource, credentials and properties, then the settings HikariCP applies to a new connection
 * (auto-commit, read-only, isolation, catalog, schema, init SQL). Login time is bounded as the pool's is
 * (HikariCP sets the login timeout from its {@code connectionTimeout}: on a {@code jdbcUrl} pool through
 * {@code DriverManager}, which this shares; on a {@code dataSourceClassName} pool on its own instance, so this
 * sets it on its own). Thread-safe.
 */
final class HikariDirect {

    /** Whether this HikariCP has {@code HikariConfig.getCredentials()} (6 and later; not 5). */
    private static final boolean HAS_CREDENTIALS = hasCredentials();

    private final HikariConfig config;
    private volatile DataSource source; // built on first use: most pools never need it

    HikariDirect(HikariConfig config) {
        this.config = config;
    }

    /** Whether this configuration names a way to connect that can be used outside the pool (not JNDI). */
    boolean possible() {
        return config.getDataSource() != null || config.getJdbcUrl() != null
                || config.getDataSourceClassName() != null;
    }

    Connection open() throws SQLException {
        DataSource ds = source();
        String[] credentials = credentials();
        String user = credentials[0];
        Connection c = user == null || config.getJdbcUrl() != null
                ? ds.getConnection() // a DriverDataSource carries the credentials itself
                : ds.getConnection(user, credentials[1]);
        try {
            setUp(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * User and password (either may be null) as the pool would use them: HikariCP 6 and later through
     * {@code getCredentials()}, which also asks a configured {@code HikariCredentialsProvider} and reads both
     * together; HikariCP 5, which has neither, through {@code getUsername()} and {@code getPassword()}.
     */
    private String[] credentials() {
        if (HAS_CREDENTIALS) {
            Credentials credentials = config.getCredentials();
            return credentials == null ? new String[2]
                    : new String[] {credentials.getUsername(), credentials.getPassword()};
        }
        return new String[] {config.getUsername(), config.getPassword()};
    }

    private DataSource source() throws SQLException {
        DataSource ds = source;
        if (ds == null) {
            synchronized (this) {
                ds = source;
                if (ds == null) {
                    source = ds = build();
                }
            }
        }
        return ds;
    }

    private DataSource build() throws SQLException {
        if (config.getDataSource() != null) {
            return config.getDataSource();
        }
        try {
            if (config.getJdbcUrl() != null) {
                String[] credentials = credentials();
                return new DriverDataSource(config.getJdbcUrl(), config.getDriverClassName(),
                        config.getDataSourceProperties(), credentials[0], credentials[1]);
            }
            if (config.getDataSourceClassName() != null) {
                // the varargs form: HikariCP 5 has no two-argument createInstance
                DataSource ds = UtilityElf.createInstance(config.getDataSourceClassName(), DataSource.class,
                        new Object[0]);
                PropertyElf.setTargetFromProperties(ds, config.getDataSourceProperties());
                // The pool set this on its own instance; this one is new. A server that accepts TCP but never
                // answers the start-up would otherwise hold the connect (and its bypass slot) forever.
                ds.setLoginTimeout(loginTimeoutSeconds());
                return ds;
            }
        } catch (RuntimeException e) {
            // HikariCP's helpers report a bad driver or DataSource class as a RuntimeException.
            throw new SQLNonTransientConnectionException("pool " + config.getPoolName()
                    + ": cannot open a connection outside the pool: " + e.getClass().getSimpleName(), "08001", e);
        }
        throw new SQLNonTransientConnectionException("pool " + config.getPoolName()
                + " is configured through JNDI: Bulwark cannot open a connection outside it", "08001");
    }

    /** As HikariCP bounds its own connects: {@code connectionTimeout}, at least a second. */
    private int loginTimeoutSeconds() {
        long millis = config.getConnectionTimeout();
        return millis == Integer.MAX_VALUE || millis == 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
    }

    private void setUp(Connection c) throws SQLException {
        if (c.getAutoCommit() != config.isAutoCommit()) {
            c.setAutoCommit(config.isAutoCommit());
        }
        if (config.isReadOnly()) {
            c.setReadOnly(true);
        }
        if (config.getTransactionIsolation() != null) {
            c.setTransactionIsolation(isolation(config.getTransactionIsolation()));
        }
        if (config.getCatalog() != null) {
            c.setCatalog(config.getCatalog());
        }
        if (config.getSchema() != null) {
            c.setSchema(config.getSchema());
        }
        if (config.getConnectionInitSql() != null) {
            try (Statement s = c.createStatement()) {
                s.execute(config.getConnectionInitSql());
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** HikariCP's isolation setting: a {@code Connection} constant name, with or without its prefix, or a number. */
    static int isolation(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("TRANSACTION_")) {
            n = n.substring("TRANSACTION_".length());
        }
        return switch (n) {
            case "NONE" -> Connection.TRANSACTION_NONE;
            case "READ_UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ_COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE_READ" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> Integer.parseInt(n); // HikariCP accepted it, so it is a number
        };
    }

    private static boolean hasCredentials() {
        try {
            HikariConfig.class.getMethod("getCredentials");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
