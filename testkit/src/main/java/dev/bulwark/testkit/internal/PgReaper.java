package dev.bulwark.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no test cluster outlives the JVM that started it: a JVM shutdown hook closes every open
 * cluster, and a small watchdog shell process per cluster stops the server and deletes its directory
 * if the JVM dies without running its hooks ({@code kill -9}, a crashed fork). Thread-safe.
 */
public final class PgReaper {

    private static final Logger LOG = LoggerFactory.getLogger(PgReaper.class);
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    // Waits for the JVM to go, wakes a frozen server (a stopped process ignores pg_ctl), stops it, deletes.
    private static final String WATCHDOG = """
            jvm=$1; base=$2; data=$3; shift 3
            while kill -0 "$jvm" 2>/dev/null; do sleep 1; done
            pm=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
            if [ -n "$pm" ]; then
              kill -CONT "$pm" $(cat "/proc/$pm/task/$pm/children" 2>/dev/null) 2>/dev/null
              "$@" >/dev/null 2>&1 || kill -KILL "$pm" 2>/dev/null
            fi
            rm -rf "$base"
            """;

    /** A registration: closing it forgets the cluster and ends its watchdog. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private PgReaper() {
    }

    /**
     * Registers {@code cluster} for closing at JVM shutdown and starts its watchdog over {@code server}.
     *
     * @throws UncheckedIOException when the watchdog cannot be started
     */
    public static Registration register(AutoCloseable cluster, PgInstallation pg, PgServer server) {
        List<String> args = new ArrayList<>(List.of(server.baseDirectory().toString(),
                server.dataDirectory().toString()));
        args.addAll(pg.commandLine("pg_ctl", List.of("-D", server.dataDirectory().toString(), "-m", "immediate",
                "-w", "-t", "30", "stop")));
        return register(cluster, WATCHDOG, args);
    }

    /**
     * Registers {@code cluster} for closing at JVM shutdown and starts {@code script} as its watchdog: a shell
     * script that gets the JVM's process id as {@code $1} and {@code args} after it, and must wait for that
     * process to end before it cleans up.
     *
     * @throws UncheckedIOException when the watchdog cannot be started
     */
    public static Registration register(AutoCloseable cluster, String script, List<String> args) {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(PgReaper::closeAll, "bulwark-pg-reaper"));
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "bulwark-watchdog",
                Long.toString(ProcessHandle.current().pid())));
        argv.addAll(args);
        Process watchdog;
        try {
            watchdog = new ProcessBuilder(argv).directory(new File("/"))
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the watchdog for " + cluster, e);
        }
        OPEN.add(cluster);
        return () -> {
            OPEN.remove(cluster);
            watchdog.descendants().forEach(ProcessHandle::destroy); // its current 'sleep 1'
            watchdog.destroy();
            try {
                watchdog.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void closeAll() {
        for (AutoCloseable cluster : List.copyOf(OPEN)) {
            try {
                cluster.close();
            } catch (Exception | LinkageError e) {
                LOG.warn("could not close {} at JVM shutdown: {}", cluster, e.toString());
            }
        }
    }
}
