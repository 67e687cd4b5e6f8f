package dev.bulwark.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link ForwardChild} in its own JVM: its {@code SF|} lines as they come, and a hard kill. */
final class ChildJvm implements AutoCloseable {

    private static final String EXITED = "\u0000exited";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::read, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), ForwardChild.class.getName()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(workDir, "child-", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
    }

    /** The next {@code SF|} line (without the prefix), failing with the child's stderr after the timeout. */
    String next(Duration timeout) throws Exception {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line.equals(EXITED)) {
            throw new AssertionError("child " + process.pid() + (line == null ? " said nothing for " + timeout
                    : " exited with " + process.waitFor()) + "; stderr:\n" + tail());
        }
        return line;
    }

    /** SIGKILL, like a crash of the application process. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + process.pid() + " did not exit within " + timeout + "; stderr:\n"
                    + tail());
        }
        return process.exitValue();
    }

    private String tail() throws IOException {
        List<String> all = Files.readAllLines(stderr);
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("SF|")) {
                    lines.add(line.substring(3));
                }
            }
        } catch (IOException e) {
            lines.add(EXITED); // the stream broke: the process is gone
            return;
        }
        lines.add(EXITED);
    }

    @Override
    public void close() throws Exception {
        kill();
        Files.deleteIfExists(stderr);
    }
}
