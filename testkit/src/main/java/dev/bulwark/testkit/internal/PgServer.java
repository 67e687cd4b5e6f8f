package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ClusterCommandException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL data directory in a private temporary directory, and the commands that act on it:
 * {@code initdb}, {@code pg_ctl}, {@code pg_basebackup}, {@code pg_rewind} and {@code psql} over the
 * node's Unix socket (always trusted, so the harness never needs the password).
 *
 * <p>Layout: {@code <base>/data} (the cluster), {@code <base>/server.log} and the Unix socket in
 * {@code <base>}: outside the data directory, because {@code pg_rewind} copies every file of the source's
 * data directory and fails on a socket, and so that the log does not travel from node to node.
 *
 * <p>Thread-safe for concurrent queries; lifecycle calls are serialised by
 * {@link dev.bulwark.testkit.PostgresCluster}.
 */
public final class PgServer {

    private static final Logger LOG = LoggerFactory.getLogger(PgServer.class);
    private static final String CONFIG_FILE = "bulwark.conf";
    private static final int SOCKET_PATH_LIMIT = 107;
    private static final int PORT_ATTEMPTS = 3;

    private final PgInstallation pg;
    private final Path base;
    private final Path data;
    private final Path log;
    private final Duration timeout;
    private volatile int port;

    private PgServer(PgInstallation pg, Path base, Duration timeout) {
        this.pg = pg;
        this.base = base;
        this.data = base.resolve("data");
        this.log = base.resolve("server.log");
        this.timeout = timeout;
    }

    /** Creates a fresh, empty private directory owned by the server's user; nothing runs yet. */
    public static PgServer inNewDirectory(PgInstallation pg, Duration timeout) {
        try {
            Path parent = Path.of(System.getProperty("java.io.tmpdir"));
            if (pg.runsAsAnotherUser() && !traversableByOthers(parent)) {
                parent = Path.of("/tmp"); // the server's user could not reach a private temp directory
            }
            Path base = Files.createTempDirectory(parent, "bulwark-pg-");
            pg.own(base);
            PgServer server = new PgServer(pg, base, timeout);
            int socketPath = base.toString().length() + "/.s.PGSQL.65535".length();
            if (socketPath > SOCKET_PATH_LIMIT) {
                server.delete();
                throw new IllegalStateException("Unix socket path under " + parent + " would be " + socketPath
                        + " bytes, over the limit of " + SOCKET_PATH_LIMIT + "; point -Djava.io.tmpdir elsewhere");
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for a test cluster", e);
        }
    }

    public Path baseDirectory() {
        return base;
    }

    public Path dataDirectory() {
        return data;
    }

    public int port() {
        return port;
    }

    /** Runs {@code initdb}: trust on the Unix socket; scram-sha-256 over TCP when there is a password. */
    public void initdb(String password) {
        List<String> args = new ArrayList<>(List.of("-D", data.toString(), "-U", "postgres", "-E", "UTF8",
                "--locale=C", "--no-sync", "--no-instructions", "--auth-local=trust"));
        Path pwfile = base.resolve("pwfile");
        try {
            if (password != null) {
                writeOwned(pwfile, password + "\n");
                args.addAll(List.of("--auth-host=scram-sha-256", "--pwfile=" + pwfile));
            } else {
                args.add("--auth-host=trust");
            }
            check("initdb", args, pg.run(base, timeout, "initdb", args));
            Files.writeString(data.resolve("postgresql.conf"), "\ninclude '" + CONFIG_FILE + "'\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + data, e);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the password file " + pwfile, e);
            }
        }
    }

    /** Writes this node's own settings file, which {@code postgresql.conf} includes last. */
    public void writeConfig(int newPort, Map<String, String> settings) {
        port = newPort;
        StringBuilder text = new StringBuilder(PgSettings.render(settings));
        text.append("port = ").append(newPort).append('\n')
                .append("listen_addresses = '127.0.0.1'\n")
                .append("unix_socket_directories = ").append(PgSettings.quote(base.toString())).append('\n');
        writeOwned(data.resolve(CONFIG_FILE), text.toString());
    }

    /**
     * Writes the configuration with a free port and starts the server, trying another port when someone
     * else took the chosen one between the probe and the server's bind.
     */
    public void startOnFreePort(Map<String, String> settings) {
        for (int attempt = 1; ; attempt++) {
            writeConfig(freePort(), settings);
            try {
                start();
                return;
            } catch (ClusterCommandException e) {
                if (attempt >= PORT_ATTEMPTS || !e.serverLogTail().contains("Address already in use")) {
                    throw e;
                }
                LOG.info("port {} was taken before the server could bind it; trying another", port);
            }
        }
    }

    /** {@code pg_ctl start -w}: returns once the server accepts connections. */
    public void start() {
        List<String> args = List.of("-D", data.toString(), "-l", log.toString(), "-w", "-t", seconds(), "start");
        check("pg_ctl", args, pg.run(base, timeout.plusSeconds(15), "pg_ctl", args));
    }

    /** {@code pg_ctl stop -w} in the given mode ({@code fast}, {@code immediate}). */
    public void stop(String mode) {
        List<String> args = List.of("-D", data.toString(), "-m", mode, "-w", "-t", seconds(), "stop");
        check("pg_ctl", args, pg.run(base, timeout.plusSeconds(15), "pg_ctl", args));
    }

    /** {@code pg_ctl promote -w}: returns once the server has left recovery. */
    public void promote() {
        List<String> args = List.of("-D", data.toString(), "-w", "-t", seconds(), "promote");
        check("pg_ctl", args, pg.run(base, timeout.plusSeconds(15), "pg_ctl", args));
    }

    /** {@code pg_ctl reload}: re-reads the configuration files. */
    public void reload() {
        List<String> args = List.of("-D", data.toString(), "reload");
        check("pg_ctl", args, pg.run(base, timeout, "pg_ctl", args));
    }

    /** Runs one SQL statement as {@code postgres} over the Unix socket; returns its unaligned output. */
    public String query(String sql) {
        List<String> args = List.of("-X", "-q", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", "-h", base.toString(),
                "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", sql);
        return check("psql", args, pg.run(base, timeout, "psql", args)).output().strip();
    }

    /**
     * Repeats {@code sql} until it answers {@code expected}.
     *
     * @throws ClusterCommandException naming {@code what} when that does not happen within the timeout
     */
    public void await(String sql, String expected, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String answer = query(sql);
        while (!answer.equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new ClusterCommandException("psql -c " + sql, -1, "waited " + timeout.toSeconds()
                        + " s for " + what + "; last answer: '" + answer + "'", logTail());
            }
            pause();
            answer = query(sql);
        }
    }

    /** Copies {@code primary} with {@code pg_basebackup -R -X stream} into this (empty) node. */
    public void baseBackupFrom(PgServer primary, String applicationName) {
        List<String> args = List.of("-D", data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync", "-w",
                "-d", primary.conninfo(applicationName));
        check("pg_basebackup", args, pg.run(base, timeout, "pg_basebackup", args));
    }

    /** Rewinds this stopped node onto the history of {@code source} with {@code pg_rewind}. */
    public void rewindFrom(PgServer source) {
        List<String> args = List.of("-D", data.toString(), "--source-server=" + source.conninfo("pg_rewind"),
                "--no-sync");
        check("pg_rewind", args, pg.run(base, timeout, "pg_rewind", args));
    }

    /** Makes this node a standby of {@code primary} at its next start. */
    public void followPrimary(PgServer primary, String applicationName) {
        try {
            writeOwned(data.resolve("standby.signal"), "");
            Files.writeString(data.resolve("postgresql.auto.conf"), "primary_conninfo = "
                    + PgSettings.quote(primary.conninfo(applicationName)) + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not configure " + data + " as a standby", e);
        }
    }

    /** The postmaster's process id from {@code postmaster.pid}, when that process is alive. */
    public OptionalLong postmasterPid() {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return OptionalLong.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return OptionalLong.empty(); // being written by a starting postmaster
            }
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                    ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty(); // removed while we read it: the postmaster has just exited
        }
    }

    /** The last lines of the server log, with anything password-like masked; empty when there is none. */
    public String logTail() {
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - 4096);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return PgInstallation.mask(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        } catch (IOException e) {
            return "(server log " + log + " unreadable: " + e + ")";
        }
    }

    /** Deletes the whole directory; the server must not be running. */
    public void delete() {
        if (!Files.exists(base)) {
            return;
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete test cluster directory " + base, e);
        }
    }

    /** A libpq connection string reaching this node over its Unix socket. */
    String conninfo(String applicationName) {
        return "host=" + base + " port=" + port + " user=postgres dbname=postgres application_name=" + applicationName;
    }

    private ExternalCommand.Result check(String tool, List<String> args, ExternalCommand.Result result) {
        if (result.succeeded()) {
            return result;
        }
        String output = PgInstallation.mask(result.output().strip());
        String detail = result.timedOut()
                ? "timed out after " + result.elapsed().toSeconds() + " s and was killed; output: " + output
                : "output: " + (output.length() > 2000 ? "..." + output.substring(output.length() - 2000) : output);
        throw new ClusterCommandException(PgInstallation.display(tool, args), result.exitCode(), detail, logTail());
    }

    private void writeOwned(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            pg.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private String seconds() {
        return Long.toString(Math.max(1, timeout.toSeconds()));
    }

    private static void pause() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the test cluster", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }

    private static boolean traversableByOthers(Path dir) throws IOException {
        for (Path each = dir.toAbsolutePath(); each != null; each = each.getParent()) {
            if (!Files.getPosixFilePermissions(each).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }
}
