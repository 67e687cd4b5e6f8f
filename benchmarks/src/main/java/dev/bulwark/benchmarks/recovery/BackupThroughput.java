package dev.bulwark.benchmarks.recovery;

import dev.bulwark.recovery.BackupOptions;
import dev.bulwark.recovery.Backups;
import dev.bulwark.recovery.RestoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Backup and restore throughput of {@link Backups} for {@code pgbench_accounts} at scale 20 (2 million
 * rows) on the local PostgreSQL, beside {@code pg_dump -Fc -Z0} and {@code pg_restore} of the same table in
 * the same run, rounds interleaved. Throughput is the table's heap size divided by wall time, so every
 * variant shares one numerator. Bulwark's restore includes its verification by table checksum.
 *
 * <pre>java -cp benchmarks/target/bulwark-benchmarks.jar dev.bulwark.benchmarks.recovery.BackupThroughput
 *     [rounds, default 2] [scale, default 20]</pre>
 * Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and its client tools in
 * /usr/lib/postgresql/15/bin (override with BULWARK_PG_BIN). Creates and drops the databases
 * bulwark_bench_src and bulwark_bench_dst.
 */
public final class BackupThroughput {

    private static final String BIN = System.getenv().getOrDefault("BULWARK_PG_BIN", "/usr/lib/postgresql/15/bin");
    private static final String SRC = "bulwark_bench_src";
    private static final String DST = "bulwark_bench_dst";

    private BackupThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int scale = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path work = Files.createTempDirectory("bulwark-backup-bench");
        recreate(SRC);
        run(BIN + "/pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-q", "-s", String.valueOf(scale), SRC);
        long heapBytes = scalar(SRC, "SELECT pg_relation_size('pgbench_accounts')");
        long rows = scalar(SRC, "SELECT count(*) FROM pgbench_accounts");
        double mb = heapBytes / 1e6;
        System.out.printf(Locale.ROOT, "backup throughput: pgbench_accounts, %,d rows, heap %.0f MB, %d rounds%n",
                rows, mb, rounds);
        List<Double> bulwarkBackup = new ArrayList<>();
        List<Double> pgDump = new ArrayList<>();
        List<Double> bulwarkRestore = new ArrayList<>();
        List<Double> pgRestore = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                Path backup = work.resolve("bulwark-" + round);
                long t0 = System.nanoTime();
                Backups.create(source(SRC), backup, BackupOptions.builder().withTables("pgbench_accounts").build());
                bulwarkBackup.add(mb / seconds(t0));

                Path dump = work.resolve("dump-" + round + ".pgdump");
                t0 = System.nanoTime();
                run(BIN + "/pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-Z0", "-t", "pgbench_accounts",
                        "-f", dump.toString(), SRC);
                pgDump.add(mb / seconds(t0));

                recreate(DST);
                t0 = System.nanoTime();
                Backups.restore(backup, source(DST), RestoreOptions.defaults());
                bulwarkRestore.add(mb / seconds(t0));

                recreate(DST);
                t0 = System.nanoTime();
                run(BIN + "/pg_restore", "-h", "127.0.0.1", "-U", "postgres", "-d", DST, dump.toString());
                pgRestore.add(mb / seconds(t0));
                check(scalar(DST, "SELECT count(*) FROM pgbench_accounts") == rows, "pg_restore lost rows");
                JournalThroughput.deleteTree(backup);
                Files.deleteIfExists(dump);
            }
        } finally {
            drop(DST);
            drop(SRC);
            JournalThroughput.deleteTree(work);
        }
        System.out.println();
        System.out.println("| operation | Bulwark MB/s (median) | pg_dump / pg_restore MB/s (median) | ratio |");
        System.out.println("|---|---|---|---|");
        row("backup", bulwarkBackup, pgDump);
        row("restore (Bulwark: with checksum verification)", bulwarkRestore, pgRestore);
    }

    private static void row(String name, List<Double> bulwark, List<Double> peer) {
        System.out.printf(Locale.ROOT, "| %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %.2f |%n", name, median(bulwark),
                min(bulwark), max(bulwark), median(peer), min(peer), max(peer), median(bulwark) / median(peer));
    }

    private static PGSimpleDataSource source(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:5432/" + database);
        ds.setUser("postgres");
        return ds;
    }

    private static void recreate(String database) throws SQLException {
        drop(database);
        admin("CREATE DATABASE " + database);
    }

    private static void drop(String database) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long scalar(String database, String sql) throws SQLException {
        try (Connection c = source(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue());
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(d -> d).min().orElse(0);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(d -> d).max().orElse(0);
    }
}
