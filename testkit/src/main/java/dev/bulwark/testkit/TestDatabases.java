package dev.bulwark.testkit;

import dev.bulwark.testkit.TestDatabase.Engine;
import dev.bulwark.testkit.internal.ServerLocator;
import dev.bulwark.testkit.internal.ServerLocator.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Real databases for tests: each call reserves a fresh schema (PostgreSQL), database (MariaDB) or
 * file (SQLite) with a random name, so tests can run in any order and never see each other's data.
 *
 * <p>A server is found in this order: an explicit URL ({@code BULWARK_TEST_PG_URL},
 * {@code BULWARK_TEST_MARIADB_URL}, with {@code BULWARK_TEST_PG_USER}/{@code _PASSWORD} and
 * {@code BULWARK_TEST_MARIADB_USER}/{@code _PASSWORD}), the local default address
 * ({@code 127.0.0.1:5432} user {@code postgres}; {@code 127.0.0.1:3306} user {@code root}), then
 * Testcontainers when a Docker engine is present. When none answers, the calling test is skipped
 * with a message saying what to start, or, with {@code -Dbulwark.test.requireDatabases=true} (CI
 * sets it), fails.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.postgres()) {
 *     db.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)");
 *     try (Connection c = db.connect()) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Server discovery happens once per JVM and server kind.
 */
public final class TestDatabases {

    /** System property that turns "skip when no database is found" into a failure. */
    public static final String REQUIRE_PROPERTY = "bulwark.test.requireDatabases";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDatabases() {
    }

    /** A fresh schema on a real PostgreSQL server; the URL selects it with {@code currentSchema}. */
    public static TestDatabase postgres() throws SQLException {
        Server server = require(Engine.POSTGRESQL);
        String schema = randomName();
        try (Connection c = DriverManager.getConnection(server.url().toString(), server.properties());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        JdbcAddress address = server.url().withParameter("currentSchema", schema);
        return new TestDatabase(Engine.POSTGRESQL, address, schema, server.user(), server.password(), () -> {
            try (Connection c = DriverManager.getConnection(server.url().toString(), server.properties());
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        });
    }

    /** A fresh database on a real MariaDB (or MySQL) server. */
    public static TestDatabase mariadb() throws SQLException {
        Server server = require(Engine.MARIADB);
        String database = randomName();
        try (Connection c = DriverManager.getConnection(server.url().toString(), server.properties());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        JdbcAddress address = server.url().withDatabase(database);
        return new TestDatabase(Engine.MARIADB, address, database, server.user(), server.password(), () -> {
            try (Connection c = DriverManager.getConnection(server.url().toString(), server.properties());
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
            }
        });
    }

    /** A fresh SQLite file in a new temporary directory, deleted (with its WAL files) on close. */
    public static TestDatabase sqlite() throws IOException {
        Path dir = Files.createTempDirectory("bulwark-sqlite-");
        TestDatabase db = sqlite(dir);
        return new TestDatabase(Engine.SQLITE, JdbcAddress.parse(db.jdbcUrl()), db.name(), null, null, () -> {
            db.close();
            Files.deleteIfExists(dir);
        });
    }

    /** A fresh SQLite file in {@code directory}, deleted (with its WAL files) on close. */
    public static TestDatabase sqlite(Path directory) {
        String file = randomName() + ".db";
        Path path = directory.resolve(file);
        return new TestDatabase(Engine.SQLITE, JdbcAddress.parse("jdbc:sqlite:" + path), file, null, null, () -> {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(Path.of(path + suffix));
            }
        });
    }

    /**
     * The administrative address of the PostgreSQL server (its maintenance database), for tests that
     * act on the server itself, such as terminating sessions. Skips or fails like {@link #postgres()}.
     */
    public static JdbcAddress postgresServer() {
        return require(Engine.POSTGRESQL).url();
    }

    /** Whether a server of this kind can be reached, without skipping or failing the test. */
    public static boolean available(Engine engine) {
        return engine == Engine.SQLITE || ServerLocator.find(engine).isPresent();
    }

    private static Server require(Engine engine) {
        Optional<Server> server = ServerLocator.find(engine);
        if (server.isPresent()) {
            return server.get();
        }
        String message = ServerLocator.howToStart(engine);
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new IllegalStateException(message + " (" + REQUIRE_PROPERTY + "=true, so this is a failure)");
        }
        org.junit.jupiter.api.Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static String randomName() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "bt_" + HexFormat.of().formatHex(bytes);
    }
}
