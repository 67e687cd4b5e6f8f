package dev.bulwark.benchmarks.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The stub driver: {@code jdbc:stub:} opens a {@link StubConnection} whose queries return canned rows;
 * {@code jdbc:stub:rows=N} sets how many (default 1, at most {@link StubResultSet#MAX_ROWS}). Not
 * registered with {@code DriverManager}: pools take it by class name ({@code driverClassName}).
 *
 * <p>Thread-safe; each connection is independent.
 */
public final class StubDriver implements Driver {

    /** The URL prefix this driver accepts. */
    public static final String PREFIX = "jdbc:stub:";

    /** The URL of a stub database whose queries return {@code rows} rows. */
    public static String url(int rows) {
        return PREFIX + "rows=" + rows;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: not ours
        }
        return StubConnection.open(rowsOf(url));
    }

    private static int rowsOf(String url) throws SQLException {
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty()) {
            return 1;
        }
        if (!rest.startsWith("rows=")) {
            throw new SQLException("stub driver: expected jdbc:stub:rows=N, got " + url);
        }
        try {
            int rows = Integer.parseInt(rest.substring("rows=".length()));
            if (rows < 0 || rows > StubResultSet.MAX_ROWS) {
                throw new SQLException("stub driver: rows must be in 0.." + StubResultSet.MAX_ROWS + ", got " + rows);
            }
            return rows;
        } catch (NumberFormatException e) {
            throw new SQLException("stub driver: rows is not a number in " + url, e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("stub driver: no java.util.logging");
    }
}
