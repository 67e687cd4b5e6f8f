package dev.bulwark.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operating-system command to completion under a timeout, capturing its combined output.
 *
 * <p>Output goes to a temporary file rather than a pipe, so a command that leaves a daemon behind (as
 * {@code pg_ctl start} does) can never block the caller on an unread pipe. Stateless and thread-safe.
 */
public final class ExternalCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalCommand.class);

    /** How a command ended: its exit code ({@code -1} when it was killed on timeout) and its output. */
    public record Result(int exitCode, String output, boolean timedOut, Duration elapsed) {

        /** Whether the command exited with code 0 in time. */
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    private ExternalCommand() {
    }

    /**
     * Runs {@code argv} in {@code directory} with the environment changes {@code env} (a {@code null}
     * value removes a variable), killing it and its descendants after {@code timeout}.
     *
     * @throws UncheckedIOException when the command cannot be started
     */
    public static Result run(List<String> argv, Path directory, Map<String, String> env, Duration timeout) {
        long startedAt = System.nanoTime();
        Path output = null;
        try {
            output = Files.createTempFile("bulwark-cmd-", ".out");
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(new File("/dev/null"));
            env.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process = builder.start();
            boolean finished = waitFor(process, timeout);
            if (!finished) {
                // runuser does not pass SIGKILL on, so the tool itself has to be killed as well.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                waitFor(process, Duration.ofSeconds(5));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);
            return new Result(finished ? process.exitValue() : -1, text, !finished, elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv.get(0), e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for a command", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover few-byte file in the temp directory is harmless, but say so.
            LOG.warn("could not delete {}: {}", file, e.toString());
        }
    }
}
