package dev.bulwark.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server binaries and the operating-system user that runs them: {@code postgres}
 * through {@code runuser} when the JVM runs as root (the server refuses root), the JVM's own user
 * otherwise. Immutable and thread-safe.
 */
public final class PgInstallation {

    /** Environment variable naming another directory with the server binaries. */
    public static final String BIN_ENV = "BULWARK_TEST_PG_BIN";

    private static final Logger LOG = LoggerFactory.getLogger(PgInstallation.class);
    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String SERVER_USER = "postgres";
    private static final List<String> TOOLS =
            List.of("postgres", "initdb", "pg_ctl", "pg_basebackup", "pg_rewind", "psql");
    // Everything after "password=" to the end of the line: quoting rules differ between libpq strings and
    // .conf files (nested '' quotes), and hiding too much in a message is harmless, too little is not.
    private static final Pattern SECRET = Pattern.compile("(?i)(password|passwd|pwd)(\\s*=\\s*)[^\\r\\n]*");

    private final Path bin;
    private final UserPrincipal serverUser;
    private final Path runuser;

    private PgInstallation(Path bin, UserPrincipal serverUser, Path runuser) {
        this.bin = bin;
        this.serverUser = serverUser;
        this.runuser = runuser;
    }

    /**
     * Finds the binaries ({@value #BIN_ENV} or {@code /usr/lib/postgresql/15/bin}) and the user to run them.
     *
     * @throws IllegalStateException saying what to install when something is missing
     */
    public static PgInstallation locate() {
        return locate(System.getenv());
    }

    /**
     * {@link #locate()} with the given environment variables.
     *
     * @throws IllegalStateException saying what to install when something is missing
     */
    static PgInstallation locate(Map<String, String> environment) {
        String override = environment.get(BIN_ENV);
        Path bin = override == null || override.isBlank() ? DEFAULT_BIN : Path.of(override);
        for (String tool : TOOLS) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL server binaries not found: " + bin.resolve(tool)
                        + " is missing; install them (Debian: 'apt-get install postgresql-15') or set "
                        + BIN_ENV + " to the directory holding initdb, pg_ctl, pg_basebackup, pg_rewind and psql");
            }
        }
        if (!runningAsRoot()) {
            return new PgInstallation(bin, null, null);
        }
        Optional<Path> runuser = onPath("runuser");
        if (runuser.isEmpty()) {
            throw new IllegalStateException("running as root, PostgreSQL must be started as user '" + SERVER_USER
                    + "' through runuser, which is not on the PATH; install util-linux");
        }
        try {
            UserPrincipal user = FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(SERVER_USER);
            return new PgInstallation(bin, user, runuser.get());
        } catch (IOException e) {
            throw new IllegalStateException("running as root, PostgreSQL must run as OS user '" + SERVER_USER
                    + "', which does not exist; install the postgresql-15 package or create that user", e);
        }
    }

    /** The directory holding the binaries. */
    public Path binDirectory() {
        return bin;
    }

    /** Hands {@code path} to the server's user when that is not the JVM's own user. */
    public void own(Path path) {
        if (serverUser == null) {
            return;
        }
        try {
            Files.setOwner(path, serverUser);
        } catch (IOException e) {
            throw new UncheckedIOException("could not hand " + path + " to user " + SERVER_USER, e);
        }
    }

    /** Whether other users must be able to traverse the directories above a cluster's directory. */
    public boolean runsAsAnotherUser() {
        return serverUser != null;
    }

    /** The command line that runs {@code tool} with {@code args} as the server's user. */
    public List<String> commandLine(String tool, List<String> args) {
        List<String> argv = new ArrayList<>();
        if (serverUser != null) {
            argv.addAll(List.of(runuser.toString(), "-u", SERVER_USER, "--"));
        }
        argv.add(bin.resolve(tool).toString());
        argv.addAll(args);
        return argv;
    }

    /**
     * Runs {@code tool} as the server's user in {@code directory}, with a clean {@code PG*} environment
     * (so a developer's {@code PGHOST} cannot redirect it) and C-locale messages.
     */
    public ExternalCommand.Result run(Path directory, Duration timeout, String tool, List<String> args) {
        List<String> argv = commandLine(tool, args);
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(name -> name.startsWith("PG")).forEach(name -> env.put(name, null));
        env.put("LC_ALL", "C");
        ExternalCommand.Result result = ExternalCommand.run(argv, directory, env, timeout);
        LOG.debug("{} -> exit {} in {} ms", display(tool, args), result.exitCode(), result.elapsed().toMillis());
        return result;
    }

    /** The command as shown in logs and exceptions: tool and arguments, secrets masked. */
    public static String display(String tool, List<String> args) {
        return mask(tool + " " + String.join(" ", args));
    }

    /** {@code text} with {@code password=...}-like parts replaced by {@code ***}. */
    public static String mask(String text) {
        return SECRET.matcher(text).replaceAll("$1$2***");
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        try (Stream<String> dirs = Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin"))) {
            return dirs.filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program))
                    .filter(Files::isExecutable).findFirst();
        }
    }
}
