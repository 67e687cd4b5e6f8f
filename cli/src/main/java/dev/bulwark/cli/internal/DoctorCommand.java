package dev.bulwark.cli.internal;

import dev.bulwark.core.Dialect;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark doctor}: connects to a database, reports its version and latency, and judges the server
 * settings that decide how it behaves under faults.
 *
 * <p>Exit codes: 0 connected (warnings included), 2 bad arguments, 3 cannot connect. Not thread-safe.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Connect to a database and check the settings that matter under faults.")
final class DoctorCommand implements Callable<Integer> {

    /** Exit code when the database cannot be reached. */
    static final int UNREACHABLE = 3;
    private static final int ROUND_TRIPS = 5;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<jdbc-url>",
            description = "jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db (or jdbc:mysql://),"
                    + " jdbc:sqlite:/path/app.db")
    private String url;

    @Option(names = "--user", description = "Database user; the password comes from $BULWARK_CLI_PASSWORD or a prompt.")
    private String user;

    @Option(names = "--timeout", defaultValue = "5", paramLabel = "<seconds>",
            description = "Give up connecting after this many seconds (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Dialect dialect = validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("bulwark doctor: " + JdbcUrls.mask(url));
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        String password = PasswordSource.resolve(user, System.getenv());
        if (password != null) {
            props.setProperty("password", password);
        }
        long start = System.nanoTime();
        Connection c;
        try {
            c = connect(props);
        } catch (SQLException e) {
            err.println("bulwark doctor: cannot connect to " + JdbcUrls.mask(url) + ": " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")");
            return UNREACHABLE;
        } catch (TimeoutException e) {
            err.println("bulwark doctor: cannot connect to " + JdbcUrls.mask(url) + ": no answer within "
                    + timeoutSeconds + " s (is the host reachable, or is a firewall dropping packets?)");
            return UNREACHABLE;
        }
        double connectMillis = (System.nanoTime() - start) / 1e6;
        try (c) {
            DatabaseMetaData meta = c.getMetaData();
            line(out, "server", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
            line(out, "driver", meta.getDriverName() + " " + meta.getDriverVersion());
            line(out, "dialect", dialect.name().toLowerCase());
            line(out, "connect", String.format("%.1f ms", connectMillis));
            line(out, "round trip", String.format("%.2f ms (median of %d x SELECT 1)", medianRoundTrip(c), ROUND_TRIPS));
            List<Setting> settings = ServerSettings.read(dialect, c);
            if (!settings.isEmpty()) {
                out.println();
                out.println("settings that matter under faults:");
            }
            for (Setting s : settings) {
                out.printf("  %-4s  %s = %s%n        %s%n", s.verdict(), s.name(), s.value(), s.advice());
            }
            long warnings = settings.stream().filter(s -> s.verdict().equals("warn")).count();
            out.println();
            out.println(warnings == 0 ? "No problems found." : warnings + " setting(s) to look at (warn).");
            out.flush();
            return 0;
        } catch (SQLException e) {
            err.println("bulwark doctor: connected to " + JdbcUrls.mask(url) + " but could not read its settings: "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + ")");
            return UNREACHABLE;
        }
    }

    private Dialect validate() {
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new ParameterException(spec.commandLine(), "--timeout must be 1 to 300 seconds, was " + timeoutSeconds);
        }
        String unsupported = JdbcUrls.unsupported("<jdbc-url>", url);
        if (unsupported != null) {
            throw new ParameterException(spec.commandLine(), unsupported);
        }
        Dialect dialect = Dialect.fromJdbcUrl(url);
        if (dialect == Dialect.SQLITE) {
            String file = url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "").replaceFirst("^file:", "");
            if (!file.isEmpty() && !file.contains(":memory:") && !Files.exists(Path.of(file))) {
                // sqlite-jdbc would create an empty database there; a doctor must not create files
                throw new ParameterException(spec.commandLine(), "no SQLite database at " + file);
            }
        }
        return dialect;
    }

    private Connection connect(Properties props) throws SQLException, TimeoutException, InterruptedException {
        DriverManager.setLoginTimeout(timeoutSeconds);
        ExecutorService connector = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "doctor-connect");
            t.setDaemon(true); // a driver ignoring the login timeout must not keep the JVM alive
            return t;
        });
        try {
            Future<Connection> attempt = connector.submit(() -> DriverManager.getConnection(JdbcUrls.forDriver(url), props));
            return attempt.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("connecting failed: " + e.getCause(), "08001", e.getCause());
        } finally {
            connector.shutdownNow();
        }
    }

    private static double medianRoundTrip(Connection c) throws SQLException {
        double[] millis = new double[ROUND_TRIPS];
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(millis);
        return millis[ROUND_TRIPS / 2];
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-11s %s%n", label, value);
    }
}
