package dev.bulwark.testkit;

/**
 * A server command run by {@link PostgresCluster} ({@code initdb}, {@code pg_ctl}, {@code pg_basebackup},
 * {@code pg_rewind}, {@code psql}) failed, timed out, or a condition it waited for did not come true.
 *
 * <p>The message names the command, its exit code and the tail of its output and of the server log;
 * passwords never appear in it. Immutable and thread-safe.
 */
public final class ClusterCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final int exitCode;
    private final String serverLogTail;

    /**
     * Creates the exception; {@code command} and the texts must already be free of secrets.
     *
     * @param command the command line as run (masked)
     * @param exitCode its exit code, or {@code -1} when it timed out or never ended
     * @param detail what went wrong, including the tail of the command's own output
     * @param serverLogTail the last lines of the server log, possibly empty
     */
    public ClusterCommandException(String command, int exitCode, String detail, String serverLogTail) {
        super(message(command, exitCode, detail, serverLogTail));
        this.command = command;
        this.exitCode = exitCode;
        this.serverLogTail = serverLogTail;
    }

    /** The command line that failed, with secrets masked. */
    public String command() {
        return command;
    }

    /** The command's exit code, or {@code -1} when it timed out or did not end as expected. */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines of the server log at the time of the failure, possibly empty. */
    public String serverLogTail() {
        return serverLogTail;
    }

    private static String message(String command, int exitCode, String detail, String serverLogTail) {
        StringBuilder text = new StringBuilder("`").append(command).append("` ")
                .append(exitCode < 0 ? "did not complete" : "exited with code " + exitCode)
                .append(": ").append(detail);
        if (!serverLogTail.isBlank()) {
            text.append(System.lineSeparator()).append("--- server log tail ---").append(System.lineSeparator())
                    .append(serverLogTail);
        }
        return text.toString();
    }
}
