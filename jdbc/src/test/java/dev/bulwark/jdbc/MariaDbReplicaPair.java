package dev.bulwark.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB primary and an asynchronous GTID replica of the test's own: two {@code mariadbd} on free loopback
 * ports, run as user {@code mysql} in a temporary directory, binary log and GTIDs on, without grant tables
 * (loopback only; the test's throw-away data). Never the shared server on 3306. {@link #close()} stops both and
 * removes the directory.
 */
final class MariaDbReplicaPair implements AutoCloseable {

    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");

    private final Path dir;
    private final List<Process> servers = new ArrayList<>();
    final int primaryPort;
    final int replicaPort;

    static boolean available() {
        return Files.isExecutable(INSTALL_DB) && Files.isExecutable(MARIADBD);
    }

    MariaDbReplicaPair() throws Exception {
        dir = Files.createTempDirectory("bulwark-mariadb-");
        try {
            run(List.of("chown", "mysql:mysql", dir.toString()));
            primaryPort = freePort();
            replicaPort = freePort();
            start("primary", primaryPort, 1);
            start("replica", replicaPort, 2);
            try (Connection c = connect(replicaPort); Statement s = c.createStatement()) {
                s.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primaryPort
                        + ", MASTER_USER='root', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
                s.execute("START SLAVE");
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    String url(int port) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/test";
    }

    static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/test?connectTimeout=2000", "root", "");
    }

    /** Stops (or starts again) the replica's SQL thread: received events are no longer (or again) applied. */
    void replay(boolean on) throws SQLException {
        try (Connection c = connect(replicaPort); Statement s = c.createStatement()) {
            s.execute(on ? "START SLAVE SQL_THREAD" : "STOP SLAVE SQL_THREAD");
        }
    }

    private void start(String name, int port, int serverId) throws Exception {
        Path data = dir.resolve(name);
        run(List.of("runuser", "-u", "mysql", "--", INSTALL_DB.toString(), "--no-defaults", "--datadir=" + data,
                "--skip-test-db", "--auth-root-authentication-method=normal"));
        ProcessBuilder pb = new ProcessBuilder("runuser", "-u", "mysql", "--", MARIADBD.toString(), "--no-defaults",
                "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + data + "/sock",
                "--pid-file=" + data + "/pid", "--server-id=" + serverId, "--log-bin=" + data + "/bin",
                "--binlog-format=ROW", "--skip-grant-tables", "--innodb-buffer-pool-size=16M",
                "--innodb-log-file-size=8M", "--performance-schema=OFF", "--skip-name-resolve",
                "--log-error=" + data + "/error.log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        servers.add(pb.start());
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?connectTimeout=2000",
                    "root", ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS test");
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("mariadbd " + name + " on port " + port + " did not start; see "
                            + data.resolve("error.log"), notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        for (Process p : servers) {
            // runuser's child is mariadbd: ending the process tree stops the server (SIGTERM: a clean shutdown).
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : servers) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run(List.of("rm", "-rf", dir.toString()));
        } catch (Exception e) {
            // a temporary directory left behind
        }
    }
}
