package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a copying child JVM with SIGKILL twenty times at random moments, resuming each time: the target
 * ends equal to the source by checksum, with every row exactly once.
 */
class TableCopyKillIT {

    private static final int KILLS = 20;
    private static final int CUSTOMERS = 700; // 700 + 1400 + 1400 rows, in chunks of 25

    @TempDir
    Path logs;

    @Test
    void aCopyKilledTwentyTimesAtRandomResumesToAnExactCopy() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase lite = TestDatabases.sqlite()) {
            TableCopyIT.shop(pg, CUSTOMERS);
            String sourceUrl = pg.jdbcUrl() + "&user=" + pg.user()
                    + (pg.password() == null || pg.password().isEmpty() ? "" : "&password=" + pg.password());
            Random random = new Random();
            long seed = random.nextLong();
            random.setSeed(seed);
            List<Long> progressAtKill = new ArrayList<>();
            int killedMidCopy = 0;
            for (int i = 0; i < KILLS; i++) {
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", // start fast: 20 JVMs
                        "-cp", System.getProperty("java.class.path"), CopyProcess.class.getName(),
                        sourceUrl, lite.jdbcUrl(), "kill-test", "25")
                        .redirectError(logs.resolve("child-" + i + ".err").toFile())
                        .start();
                int chunksBeforeKill = 1 + random.nextInt(6);
                boolean finished = false;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (int seen = 0; seen < chunksBeforeKill; ) {
                        String line = out.readLine();
                        if (line == null || line.startsWith("done")) {
                            finished = true;
                            break;
                        }
                        seen++;
                    }
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback, mid-chunk or between chunks
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                long copied = checkpointRows(lite);
                progressAtKill.add(copied);
                if (!finished && copied < 5L * CUSTOMERS) {
                    killedMidCopy++;
                }
            }
            assertThat(progressAtKill).as("checkpoints never go back (seed %d)", seed).isSorted();
            assertThat(killedMidCopy).as("kills that landed during the copy (seed %d)", seed).isGreaterThanOrEqualTo(KILLS - 2);

            CopyReport last = TableCopy.builder(pg.dataSource(), lite.dataSource()).withCopyId("kill-test")
                    .withChunkSize(25).build().run();
            assertThat(last.isSuccess()).as(last.toString()).isTrue();
            assertThat(last.tables()).allSatisfy(t -> assertThat(t.inserted() + t.resumedFrom()).isEqualTo(t.source().rowCount()));
            for (String table : List.of("customer", "orders", "line")) {
                assertThat(TableChecksum.compute(lite.dataSource(), table)).isEqualTo(TableChecksum.compute(pg.dataSource(), table));
            }
            assertThat(TableCopyIT.count(lite, "customer")).isEqualTo(CUSTOMERS);
            assertThat(TableCopyIT.count(lite, "line")).isEqualTo(2L * CUSTOMERS);
        }
    }

    private static long checkpointRows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(rows_done), 0) FROM bulwark_copy_checkpoint WHERE copy_id = 'kill-test'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
