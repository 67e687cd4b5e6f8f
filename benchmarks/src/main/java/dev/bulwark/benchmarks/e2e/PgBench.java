package dev.bulwark.benchmarks.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench's select-only run on the same table, as the floor a C client reaches on this machine: a custom
 * script equal to {@code pgbench -S} (prepared protocol), against the benchmark's schema.
 */
final class PgBench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private PgBench() {
    }

    /** The pgbench executable, or null if there is none. */
    static Path find(String configured) {
        for (String candidate : List.of(configured == null ? "" : configured, "/usr/lib/postgresql/15/bin/pgbench",
                "/usr/bin/pgbench")) {
            if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** Transactions per second of {@code clients} pgbench clients over {@code seconds}; throws if it fails. */
    static double selectOnly(Path pgbench, String pgUrl, String user, String schema, int accounts, int clients,
                             int seconds) throws IOException, InterruptedException {
        URI uri = URI.create(pgUrl.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        Path script = Files.createTempFile("bulwark-pgbench", ".sql");
        try {
            Files.writeString(script, "\\set aid random(1, " + accounts + ")\n"
                    + "SELECT abalance FROM " + schema + ".accounts WHERE aid = :aid;\n");
            Process process = new ProcessBuilder(pgbench.toString(), "-n", "-M", "prepared", "-f", script.toString(),
                    "-c", Integer.toString(clients), "-j", Integer.toString(clients), "-T", Integer.toString(seconds),
                    "-h", uri.getHost(), "-p", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
                    "-U", user, database).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("pgbench failed: " + output);
            }
            Matcher m = TPS.matcher(output);
            if (!m.find()) {
                throw new IOException("no tps in pgbench output: " + output);
            }
            return Double.parseDouble(m.group(1));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
