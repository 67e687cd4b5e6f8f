package dev.bulwark.testkit;

import dev.bulwark.testkit.internal.DriverManagerDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A real database reserved for one test: a fresh PostgreSQL schema, a fresh MariaDB database or a
 * fresh SQLite file, with a random name, dropped again by {@link #close()}.
 *
 * <p>Obtain one from {@link TestDatabases}. Instances are safe to share between the threads of one
 * test; {@link #close()} must be called once, when the test is done with it.
 */
public final class TestDatabase implements AutoCloseable {

    /** The kind of server behind a {@link TestDatabase}. */
    public enum Engine { POSTGRESQL, MARIADB, SQLITE }

    private final Engine engine;
    private final JdbcAddress address;
    private final String name;
    private final String user;
    private final String password;
    private final AutoCloseable cleanup;

    TestDatabase(Engine engine, JdbcAddress address, String name, String user, String password,
                 AutoCloseable cleanup) {
        this.engine = engine;
        this.address = address;
        this.name = name;
        this.user = user;
        this.password = password;
        this.cleanup = cleanup;
    }

    /** Which server this is. */
    public Engine engine() {
        return engine;
    }

    /** The schema (PostgreSQL), database (MariaDB) or file name (SQLite) reserved for this test. */
    public String name() {
        return name;
    }

    /** A JDBC URL that connects to the reserved schema, database or file. */
    public String jdbcUrl() {
        return address.toString();
    }

    /**
     * The same URL with host and port replaced, for connecting through a proxy such as
     * {@link FaultProxy}.
     *
     * @throws UnsupportedOperationException for SQLite, which has no server to reach
     */
    public String jdbcUrlVia(String host, int port) {
        if (engine == Engine.SQLITE) {
            throw new UnsupportedOperationException("SQLite is embedded: there is no server address to replace");
        }
        return address.withHostAndPort(host, port).toString();
    }

    /** The server's host name (loopback on the development and CI machines). */
    public String host() {
        return address.host();
    }

    /** The server's TCP port; {@code -1} for SQLite. */
    public int port() {
        return address.port();
    }

    /** User name for {@link #jdbcUrl()}; may be {@code null} (SQLite). */
    public String user() {
        return user;
    }

    /** Password for {@link #jdbcUrl()}; may be {@code null} or empty. */
    public String password() {
        return password;
    }

    /** Connection properties (user and password) for {@link java.sql.DriverManager}. */
    public Properties connectionProperties() {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** A new, unpooled connection to the reserved schema, database or file. */
    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** An unpooled DataSource over {@link #jdbcUrl()}: each {@code getConnection()} opens a new connection. */
    public DataSource dataSource() {
        return new DriverManagerDataSource(jdbcUrl(), connectionProperties());
    }

    /** An unpooled DataSource over {@link #jdbcUrlVia(String, int)}. */
    public DataSource dataSourceVia(String host, int port) {
        return new DriverManagerDataSource(jdbcUrlVia(host, port), connectionProperties());
    }

    /** Runs each statement on a fresh connection in autocommit mode; convenient for test set-up. */
    public void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    /** Drops the reserved schema, database or file. */
    @Override
    public void close() throws Exception {
        cleanup.close();
    }

    @Override
    public String toString() {
        return engine + " " + name + " at " + address.masked();
    }
}
