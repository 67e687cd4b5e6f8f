package dev.bulwark.cli.internal;

import dev.bulwark.core.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A database named on the command line: its URL checked, its password resolved (environment or prompt,
 * never an argument) and its reachability probed before a command starts work on it.
 *
 * <p>Immutable and thread-safe; the password stays in the connection properties and never in
 * {@link #toString()}.
 */
final class CliDatabase {

    /** Exit code: the operation ran and failed (a check, a verification, a refused restore). */
    static final int FAILED = 1;
    /** Exit code: the database cannot be reached. */
    static final int UNREACHABLE = 3;

    private final String url;
    private final Dialect dialect;
    private final Properties properties;

    private CliDatabase(String url, Dialect dialect, Properties properties) {
        this.url = url;
        this.dialect = dialect;
        this.properties = properties;
    }

    /**
     * Checks {@code url} (given as the argument {@code label}) and resolves the password of {@code user} from
     * {@code passwordVariable}, then {@link PasswordSource#VARIABLE}, then a prompt.
     *
     * @param sqliteMustExist refuse a SQLite URL whose file does not exist (sqlite-jdbc would create it);
     *                        otherwise only its directory must exist
     * @throws ParameterException naming {@code label} if the URL is not a JDBC URL or names a missing file
     */
    static CliDatabase of(CommandLine cli, String label, String url, String user, String passwordVariable,
                          boolean sqliteMustExist) {
        String unsupported = JdbcUrls.unsupported(label, url);
        if (unsupported != null) {
            throw new ParameterException(cli, unsupported);
        }
        Dialect dialect = Dialect.fromJdbcUrl(url);
        if (dialect == Dialect.SQLITE) {
            String file = url.substring(url.indexOf("sqlite:") + "sqlite:".length())
                    .replaceFirst("\\?.*$", "").replaceFirst("^file:", "");
            if (file.isEmpty() || file.contains(":memory:")) {
                throw new ParameterException(cli, label + " names an in-memory SQLite database, which would be"
                        + " empty and gone when the command ends; give a file");
            }
            Path path = Path.of(file).toAbsolutePath();
            if (sqliteMustExist && !Files.isRegularFile(path)) {
                throw new ParameterException(cli, label + ": no SQLite database at " + file);
            }
            if (!Files.isDirectory(path.getParent())) {
                throw new ParameterException(cli, label + ": directory " + path.getParent() + " does not exist");
            }
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        Map<String, String> env = System.getenv();
        String password = passwordVariable == null ? null : env.get(passwordVariable);
        if (password == null) {
            password = PasswordSource.resolve(user, env);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return new CliDatabase(url, dialect, props);
    }

    /** The URL as it may be shown: credentials masked. */
    String display() {
        return JdbcUrls.mask(url);
    }

    Dialect dialect() {
        return dialect;
    }

    /** An unpooled DataSource over this database. */
    DataSource dataSource() {
        return new com.zaxxer.hikari.util.DriverDataSource(JdbcUrls.forDriver(url), null, properties, null, null);
    }

    /**
     * Opens and closes one connection, giving up after {@code timeoutSeconds}.
     *
     * @throws UnreachableException naming the masked URL and the driver's reason
     */
    void probe(int timeoutSeconds) throws UnreachableException, InterruptedException {
        DriverManager.setLoginTimeout(timeoutSeconds);
        ExecutorService connector = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bulwark-cli-connect");
            t.setDaemon(true); // a driver ignoring the login timeout must not keep the JVM alive
            return t;
        });
        try {
            Future<Connection> attempt = connector.submit(() -> DriverManager.getConnection(JdbcUrls.forDriver(url), properties));
            attempt.get(timeoutSeconds, TimeUnit.SECONDS).close();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String state = cause instanceof SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : "";
            throw new UnreachableException("cannot connect to " + display() + ": " + cause.getMessage() + state, cause);
        } catch (TimeoutException e) {
            throw new UnreachableException("cannot connect to " + display() + ": no answer within " + timeoutSeconds
                    + " s (is the host reachable, or is a firewall dropping packets?)", e);
        } catch (SQLException e) {
            throw new UnreachableException("connected to " + display() + " but closing failed: " + e.getMessage(), e);
        } finally {
            connector.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "CliDatabase[" + display() + "]";
    }
}
