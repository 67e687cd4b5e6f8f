package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.JdbcAddress;
import dev.bulwark.testkit.TestDatabase.Engine;
import dev.bulwark.testkit.internal.ServerLocator.Server;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Starts a throw-away server in Docker through Testcontainers, once per JVM and kind. Loaded only
 * when a Docker engine seems present, so Testcontainers stays an optional dependency.
 */
final class Containers {

    private Containers() {
    }

    static Server start(Engine engine) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("Docker engine not available");
        }
        return switch (engine) {
            case POSTGRESQL -> {
                PostgreSQLContainer pg = new PostgreSQLContainer("postgres:15");
                pg.start(); // stopped by Testcontainers' reaper when the JVM exits
                yield new Server(JdbcAddress.parse(pg.getJdbcUrl()), pg.getUsername(), pg.getPassword());
            }
            case MARIADB -> {
                MariaDBContainer maria = new MariaDBContainer("mariadb:10.11").withUsername("root");
                maria.start();
                yield new Server(JdbcAddress.parse(maria.getJdbcUrl()), maria.getUsername(), maria.getPassword());
            }
            case SQLITE -> throw new IllegalArgumentException("SQLite needs no container");
        };
    }
}
