package dev.bulwark.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One long-running process of a test cluster (etcd, Patroni, HAProxy), started directly (never through a
 * shell or {@code runuser}, so that its process id is the daemon's own and signals reach it), optionally as
 * another OS user through {@code setpriv}, with its output appended to a log file.
 *
 * <p>Thread-safe: the process handle is replaced only by {@link #start()}, under the instance's lock.
 */
public final class Daemon {

    private final String name;
    private final List<String> argv;
    private final Path directory;
    private final Path log;
    private final Map<String, String> env;
    private Process process;

    /**
     * A daemon not yet started.
     *
     * @param runAs the OS user to run as through {@code setpriv}, or null for the JVM's own user
     */
    public Daemon(String name, List<String> command, String runAs, Path directory, Path log, Map<String, String> env) {
        this.name = name;
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("setpriv", "--reuid=" + runAs, "--regid=" + runAs, "--init-groups", "--"));
        }
        full.addAll(command);
        this.argv = List.copyOf(full);
        this.directory = directory;
        this.log = log;
        this.env = Map.copyOf(env);
    }

    /** Starts the process; does nothing when it is alive. */
    public synchronized void start() {
        if (isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        System.getenv().keySet().stream().filter(k -> k.startsWith("PG") || k.startsWith("PATRONI"))
                .forEach(k -> builder.environment().remove(k));
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + argv.get(0) + ")", e);
        }
    }

    /** Whether the process runs (a stopped process runs). */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The process id, or -1 when it never started. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL, then waits for the process to be gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM, waiting {@code grace} for the process to exit before SIGKILL. */
    public synchronized void terminate(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(grace)) {
            kill();
        }
    }

    /** The daemon's log file. */
    public Path log() {
        return log;
    }

    @Override
    public String toString() {
        return name;
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
