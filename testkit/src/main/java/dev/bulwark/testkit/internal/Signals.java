package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ClusterCommandException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sends a signal to processes with {@code kill}; stateless and thread-safe. */
public final class Signals {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Signals() {
    }

    /**
     * Sends {@code signal} (STOP, CONT, KILL, TERM) to every pid; a pid that exited meanwhile is not an error.
     *
     * @throws ClusterCommandException when {@code kill} could not signal any of them
     */
    public static void send(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> argv.add(Long.toString(pid)));
        ExternalCommand.Result result = ExternalCommand.run(argv, Path.of("/"), Map.of(), TIMEOUT);
        if (!result.succeeded() && pids.stream().allMatch(pid -> ProcessHandle.of(pid).isPresent())) {
            throw new ClusterCommandException(String.join(" ", argv), result.exitCode(),
                    "output: " + result.output().strip(), "");
        }
    }

    /** {@code pid} and its direct children (every PostgreSQL process is a child of the postmaster). */
    public static List<Long> withChildren(long pid) {
        List<Long> all = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid).forEach(all::add);
        return all;
    }
}
