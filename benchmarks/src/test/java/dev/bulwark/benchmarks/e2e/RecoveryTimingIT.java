package dev.bulwark.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.benchmarks.e2e.RecoveryTiming.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One short real fault (session kills on a throw-away cluster, two clients) through the recovery harness:
 * both stacks are measured, failures are counted from the calls, the CSV and table are written. Checks
 * structure, never timing.
 */
class RecoveryTimingIT {

    @TempDir
    Path out;

    @Test
    void sessionKillsAreMeasuredForBothStacksAndWritten() throws Exception {
        RecoveryTiming.Options o = RecoveryTiming.Options.parse("--faults=session-kills", "--repeats=1", "--clients=2",
                "--rate=20", "--warmup=1", "--settle=1", "--limit=15", "--out=" + out);

        List<Run> runs = RecoveryTiming.run(o);

        assertThat(runs).extracting(Run::stack).containsExactly(RecoveryStack.RAW, RecoveryStack.BULWARK);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.fault()).isEqualTo(RecoveryFault.SESSION_KILLS);
            RecoveryMetrics m = r.metrics();
            assertThat(m.tpsBefore()).as("%s: writes before the fault", r.stack()).isPositive();
            assertThat(m.calls()).as("%s: calls after the fault", r.stack()).isPositive();
            assertThat(m.firstSuccessMs()).as("%s: a write succeeded after the kills", r.stack()).isNotNaN();
            assertThat(m.failedCalls()).as("%s: failures are the sum of the errors by SQLState", r.stack())
                    .isEqualTo(errorCount(m.errors()));
            assertThat(m.failedCalls()).isLessThanOrEqualTo(m.calls());
        });
        // A raw pool hands out the killed sessions: some call must see the server's 57P01 (or a broken link).
        RecoveryMetrics raw = runs.get(0).metrics();
        assertThat(raw.failedCalls()).as("raw calls failed on killed sessions").isPositive();
        assertThat(raw.firstFailureMs()).isNotNaN();
        assertThat(raw.errors()).containsAnyOf("57P01", "08006", "08003");

        List<String> csv = Files.readAllLines(out.resolve("recovery-timing.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("fault,stack,repeat,fault_to_first_failure_ms,failed_calls");
        assertThat(csv.get(1)).startsWith("session-kills,raw,1,");
        assertThat(csv.get(2)).startsWith("session-kills,bulwark,1,");
        int failedColumn = Arrays.asList(csv.get(0).split(",")).indexOf("failed_calls");
        assertThat(Integer.parseInt(csv.get(1).split(",")[failedColumn])).isEqualTo(raw.failedCalls());
        List<String> table = RecoveryTiming.table(runs, o);
        assertThat(table).filteredOn(l -> l.startsWith("| session-kills | ")).hasSize(2);
        assertThat(table).anySatisfy(l -> assertThat(l).startsWith("| session-kills | raw | "))
                .anySatisfy(l -> assertThat(l).startsWith("| session-kills | bulwark | "));
    }

    private static int errorCount(String errors) {
        return errors.isEmpty() ? 0
                : Arrays.stream(errors.split(" ")).mapToInt(e -> Integer.parseInt(e.substring(e.lastIndexOf(':') + 1))).sum();
    }
}
