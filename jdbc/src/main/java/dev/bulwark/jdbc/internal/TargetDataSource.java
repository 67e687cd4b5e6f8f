package dev.bulwark.jdbc.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The real driver behind a {@code jdbc:bulwark:} URL, as an unpooled DataSource. Until its first connection
 * succeeds, a failure that came back at once (within {@link #CONFIGURATION_REFUSAL_NANOS}), involved no network
 * error (no {@link IOException} among its causes) and carries a connection SQLState, or an unchecked exception
 * from the real driver, is its configuration's fault and is thrown as a {@link TargetConfigurationException}:
 * retrying it would only repeat it. A refusal that took longer waited for something outside the process (pgjdbc
 * reports a login that timed out on a hung server as 08001 with no cause) and is the database's. Once a connection has
 * been made the configuration is known to work, and every failure is the database's. Thread-safe.
 */
public final class TargetDataSource implements DataSource {

    private static final int MAX_CAUSES = 16;
    /** A driver refuses its own settings without waiting for anything; a slower refusal waited for a server. */
    static final long CONFIGURATION_REFUSAL_NANOS = 250_000_000L;

    private final String url;
    private final Properties properties;
    private volatile boolean connectedOnce;

    public TargetDataSource(String url, Properties properties) {
        this.url = url;
        this.properties = (Properties) properties.clone();
        if (dev.bulwark.jdbc.internal.pool.MariaDbFailoverSettings.multiHost(url)) {
            // Bulwark retries on a new connection itself: the driver's own reconnect loop must stay short.
            dev.bulwark.jdbc.internal.pool.MariaDbFailoverSettings.missing(url, this.properties)
                    .forEach(this.properties::putIfAbsent);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return open(properties);
    }

    /**
     * A connection within {@code waitMillis}, where the real driver lets a caller bound its whole connect:
     * pgjdbc's {@code loginTimeout} (its connect then runs on its own thread and the caller gets 08001 at the
     * bound), unless the caller's Properties set one. Without it pgjdbc, whose {@code socketTimeout} is 0 by
     * default, waits forever for the start-up reply of a server that accepts the TCP connection and never answers.
     */
    Connection getConnection(long waitMillis) throws SQLException {
        if (waitMillis <= 0 || waitMillis >= Integer.MAX_VALUE || !url.startsWith("jdbc:postgresql:")
                || properties.containsKey("loginTimeout")) {
            return open(properties);
        }
        long bound = waitMillis;
        int global = DriverManager.getLoginTimeout();
        if (global > 0 && global * 1000L < bound) {
            bound = global * 1000L;
        }
        Properties p = (Properties) properties.clone();
        p.setProperty("loginTimeout", Float.toString(Math.max(1, bound) / 1000f));
        return open(p);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = (Properties) properties.clone();
        p.setProperty("user", username);
        p.setProperty("password", password);
        return open(p);
    }

    private Connection open(Properties info) throws SQLException {
        Connection c;
        long start = System.nanoTime();
        try {
            c = DriverManager.getConnection(url, info);
        } catch (SQLException e) {
            if (!connectedOnce && System.nanoTime() - start < CONFIGURATION_REFUSAL_NANOS && isConfigurationError(e)) {
                throw new TargetConfigurationException(describe(e), e);
            }
            throw e;
        } catch (RuntimeException e) {
            throw new TargetConfigurationException(describe(e), e);
        }
        connectedOnce = true;
        return c;
    }

    private static boolean isConfigurationError(SQLException e) {
        String state = e.getSQLState();
        if (state != null && !state.startsWith("08")) {
            return false; // the server answered (authentication, too many connections, starting up, ...)
        }
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return false; // refused, unreachable, cut: the network's or the server's fault, worth a retry
            }
        }
        return true;
    }

    private String describe(Throwable e) {
        return "the JDBC driver refused the connection settings for " + Credentials.maskUrl(url) + ": "
                + Credentials.maskUrl(String.valueOf(e.getMessage()));
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager's log writer is global; this DataSource has none of its own.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Login timeouts belong to the real driver's URL properties (connectTimeout and the like).
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "TargetDataSource[" + Credentials.maskUrl(url) + "]";
    }
}
