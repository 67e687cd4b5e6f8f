package dev.bulwark.jdbc.internal.resolve;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL cluster on a free loopback port, for tests that must change server-wide
 * state (privileges, promotion) the shared server must never see. Test-only stand-in until the
 * testkit's PostgresCluster is merged. Runs the server binaries as {@code postgres} when the JVM runs
 * as root (PostgreSQL refuses root). Not thread-safe.
 */
final class ScratchPostgres implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("BULWARK_PG_BIN", "/usr/lib/postgresql/15/bin"));

    private final Path dataDir;
    private final int port;

    private ScratchPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A new primary; skips (or, with bulwark.test.requireDatabases, fails) if the binaries are missing. */
    static ScratchPostgres primary() throws IOException, InterruptedException {
        requireBinaries();
        Path dir = ownedTempDir();
        run(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "--auth=trust", "--no-sync");
        return start(dir.resolve("data"));
    }

    /** A streaming standby of this cluster, started. */
    ScratchPostgres standby() throws IOException, InterruptedException {
        Path dir = ownedTempDir();
        run(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "postgres", "-D", dir.resolve("data").toString(), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
        return start(dir.resolve("data"));
    }

    void promote() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "promote");
    }

    /** Kills the server without a shutdown checkpoint (as a crash would) and starts it again. */
    void crashRestart() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", dataDir.getParent().resolve("log").toString(),
                "-m", "immediate", "-w", "restart");
    }

    int port() {
        return port;
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    DataSource dataSource(String user) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url("postgres"));
        dataSource.setUser(user);
        return dataSource;
    }

    void execute(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
        run("rm", "-rf", dataDir.getParent().toString());
    }

    private static ScratchPostgres start(Path data) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.getParent().resolve("log").toString(),
                "-w", "-o", "-p " + port + " -k " + data.getParent() + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off", "start");
        return new ScratchPostgres(data, port);
    }

    private static void requireBinaries() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            String message = "PostgreSQL server binaries not found in " + BIN + " (set BULWARK_PG_BIN)";
            if (Boolean.getBoolean("bulwark.test.requireDatabases")) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
    }

    private static Path ownedTempDir() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("bulwark-resolve-pg-");
        if (asRoot()) {
            run("chown", "postgres:postgres", dir.toString());
        }
        return dir;
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asRoot() && command[0].startsWith(BIN.toString())) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        // Output goes to a file, not a pipe: a server started by pg_ctl must not hold our pipe open.
        Path output = Files.createTempFile("bulwark-resolve-pg-", ".out");
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(60, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            if (!finished || process.exitValue() != 0) {
                throw new IOException(String.join(" ", line) + " failed:\n" + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
