package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.JdbcAddress;
import dev.bulwark.testkit.TestDatabase.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds a reachable server of each kind once per JVM: explicit URL, local default, then Docker. */
public final class ServerLocator {

    private static final Logger LOG = LoggerFactory.getLogger(ServerLocator.class);
    private static final Map<Engine, Optional<Server>> FOUND = new EnumMap<>(Engine.class);

    /** A reachable server: its administrative URL and credentials. */
    public record Server(JdbcAddress url, String user, String password) {
        public Properties properties() {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password == null ? "" : password);
            return p;
        }
    }

    private ServerLocator() {
    }

    public static synchronized Optional<Server> find(Engine engine) {
        return FOUND.computeIfAbsent(engine, ServerLocator::locate);
    }

    public static String howToStart(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> "no PostgreSQL server found: set BULWARK_TEST_PG_URL, or start the local one with "
                    + "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' "
                    + "(127.0.0.1:5432, user postgres), or run a Docker engine for Testcontainers";
            case MARIADB -> "no MariaDB server found: set BULWARK_TEST_MARIADB_URL, or start the local one with "
                    + "'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd' "
                    + "(127.0.0.1:3306, user root), or run a Docker engine for Testcontainers";
            case SQLITE -> "SQLite is embedded and always available";
        };
    }

    private static Optional<Server> locate(Engine engine) {
        Server candidate = switch (engine) {
            case POSTGRESQL -> new Server(
                    JdbcAddress.parse(env("BULWARK_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test")),
                    env("BULWARK_TEST_PG_USER", "postgres"), env("BULWARK_TEST_PG_PASSWORD", ""));
            case MARIADB -> new Server(
                    JdbcAddress.parse(env("BULWARK_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test")),
                    env("BULWARK_TEST_MARIADB_USER", "root"), env("BULWARK_TEST_MARIADB_PASSWORD", ""));
            case SQLITE -> throw new IllegalArgumentException("SQLite needs no server");
        };
        if (reachable(engine, candidate)) {
            return Optional.of(candidate);
        }
        if (dockerPresent()) {
            LOG.info("{} not reachable at {}; trying Testcontainers", engine, candidate.url().masked());
            try {
                return Optional.of(Containers.start(engine));
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Testcontainers could not start {}: {}", engine, e.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean reachable(Engine engine, Server server) {
        Properties p = server.properties();
        // Bounded probe: a server that does not answer must not stall the test run.
        if (engine == Engine.POSTGRESQL) {
            p.setProperty("connectTimeout", "3");
            p.setProperty("socketTimeout", "10");
        } else {
            p.setProperty("connectTimeout", "3000");
            p.setProperty("socketTimeout", "10000");
        }
        try (Connection c = DriverManager.getConnection(server.url().toString(), p)) {
            return c.isValid(5);
        } catch (SQLException e) {
            LOG.info("{} not reachable at {}: {}", engine, server.url().masked(), e.getMessage());
            return false;
        }
    }

    private static boolean dockerPresent() {
        String host = System.getenv("DOCKER_HOST");
        boolean socket = Files.exists(Path.of("/var/run/docker.sock"));
        if ((host == null || host.isBlank()) && !socket) {
            return false;
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
            return true;
        } catch (ClassNotFoundException e) {
            LOG.info("a Docker engine may be present, but Testcontainers is not on the test class path");
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
