package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ClusterCommandException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Signals a postmaster together with all its children (every PostgreSQL server process is a direct child
 * of the postmaster): SIGSTOP to hang a server, SIGCONT to resume it, SIGKILL as the last resort.
 * Stateless and thread-safe.
 */
public final class PgProcessTree {

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private PgProcessTree() {
    }

    /**
     * Stops the postmaster, then each of its children.
     *
     * @return the stopped processes, postmaster first
     * @throws ClusterCommandException when the postmaster could not be stopped
     */
    public static List<Long> stop(PgServer server, long postmaster) {
        signal(server, "STOP", List.of(postmaster), true); // first, so it forks no child we would miss
        List<Long> all = new ArrayList<>(List.of(postmaster));
        all.addAll(children(postmaster));
        signal(server, "STOP", all.subList(1, all.size()), false);
        return List.copyOf(all);
    }

    /** Resumes the processes {@link #stop} returned, and any child the postmaster has now. */
    public static void resume(PgServer server, List<Long> stopped) {
        List<Long> all = new ArrayList<>(stopped);
        all.addAll(children(stopped.get(0)));
        signal(server, "CONT", all.stream().distinct().toList(), false);
    }

    /** Kills the postmaster and its children outright. */
    public static void kill(PgServer server, long postmaster) {
        List<Long> all = new ArrayList<>(List.of(postmaster));
        all.addAll(children(postmaster));
        signal(server, "KILL", all, false);
    }

    private static void signal(PgServer server, String signal, List<Long> pids, boolean mustSucceed) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> argv.add(Long.toString(pid)));
        ExternalCommand.Result result = ExternalCommand.run(argv, Path.of("/"), Map.of(), KILL_TIMEOUT);
        // A child that exited meanwhile makes kill fail for that pid only; the postmaster must get it.
        if (mustSucceed && !result.succeeded()) {
            throw new ClusterCommandException(String.join(" ", argv), result.exitCode(),
                    "output: " + result.output().strip(), server.logTail());
        }
    }

    private static List<Long> children(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList();
    }
}
