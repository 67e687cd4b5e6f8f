package dev.bulwark.cli.internal.demo;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live status line: rewritten in place four times a second on a terminal, printed as a plain line
 * once a second otherwise (a log file or a pipe should not fill with carriage returns).
 *
 * <p>Thread-safe; one status supplier per {@link #start}.
 */
final class ProgressLine implements AutoCloseable {

    private final PrintWriter out;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-progress");
        t.setDaemon(true);
        return t;
    });
    private int width;

    ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Starts printing {@code status} periodically. */
    void start(Supplier<String> status) {
        long period = terminal ? 250 : 1000;
        timer.scheduleAtFixedRate(() -> print(status.get()), period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void print(String line) {
        if (terminal) {
            String padded = line.length() < width ? line + " ".repeat(width - line.length()) : line;
            width = line.length();
            out.print("\r" + padded);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Stops the updates and prints {@code last} as a final, complete line. */
    void finish(String last) throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(1, TimeUnit.SECONDS);
        print(last);
        if (terminal) {
            out.println();
            out.flush();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
