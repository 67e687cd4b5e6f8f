package dev.bulwark.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.cli.internal.CliRun;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end on embedded SQLite (and once on PostgreSQL): short runs with a fixed seed, checked
 * through the report it prints, whose invariant rows are computed from the database.
 */
class DemoCommandIT {

    /** The values of the report row starting with {@code label}, one per run column. */
    private static List<Long> row(String report, String label) {
        String line = report.lines().filter(l -> l.trim().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + label + "' in:\n" + report));
        String values = line.trim().substring(label.length()).trim();
        return Arrays.stream(values.split("\\s{2,}")).map(v -> Long.parseLong(v.replace(",", "").split("\\s")[0]))
                .toList();
    }

    @Test
    void withBulwarkEveryInvariantHoldsUnderInjectedFaults() {
        CliRun run = CliRun.of("demo", "--duration", "4s", "--seed", "7");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String out = run.out();
        assertThat(out).contains("Bulwark demo: a small bank on embedded SQLite").contains("verdict").contains("ALL HOLD");
        assertThat(row(out, "transfers acknowledged as committed").get(0)).isPositive();
        assertThat(row(out, "busy / serialization conflict (40001)").get(0)).isPositive();
        assertThat(row(out, "connection broken mid-transaction (08006)").get(0)).isPositive();
        long lostAcks = row(out, "lost commit acknowledgement (08006)").get(0);
        assertThat(lostAcks).isPositive();
        assertThat(row(out, "outage (08001 on connect, 08006 on statements)").get(0)).isPositive();
        assertThat(row(out, "retries (whole unit, fresh transaction)").get(0)).isPositive();
        // Each lost acknowledgement hides a commit that landed: resolved as committed, never as "not committed"
        // (which would replay it), or unknown if the resolution itself met the outage.
        long committed = row(out, "lost acks resolved: had committed").get(0);
        assertThat(committed).isPositive().isLessThanOrEqualTo(lostAcks);
        assertThat(committed + row(out, "lost acks left unresolved").get(0)).isGreaterThanOrEqualTo(lostAcks);
        assertThat(row(out, "transfer rows in the database").get(0))
                .isEqualTo(row(out, "transfers acknowledged as committed").get(0));
        assertThat(row(out, "transfers applied twice").get(0)).isZero();
        assertThat(row(out, "told 'failed' but applied anyway").get(0)).isZero();
    }

    @Test
    void compareShowsPlainJdbcReportingLandedCommitsAsFailures() {
        CliRun run = CliRun.of("demo", "--duration", "3s", "--seed", "11", "--compare");

        assertThat(run.exitCode()).as("the exit code reflects the run with Bulwark").isZero();
        String out = run.out();
        assertThat(out).contains("Running plain JDBC").contains("with Bulwark").contains("plain JDBC");
        List<Long> lostAcks = row(out, "lost commit acknowledgement (08006)");
        assertThat(lostAcks).hasSize(2);
        assertThat(lostAcks.get(1)).isPositive();
        // Plain JDBC: every lost acknowledgement is a transfer reported failed that the database applied.
        assertThat(row(out, "told 'failed' but applied anyway")).containsExactly(0L, lostAcks.get(1));
        assertThat(row(out, "transfers reported failed").get(1)).isGreaterThan(row(out, "transfers reported failed").get(0));
        assertThat(out).contains("VIOLATED");
    }

    private static void runsAgainstServer(TestDatabase db, String scheme) {
        CliRun run = CliRun.of("demo", "--url", db.jdbcUrl(), "--user", db.user(), "--duration", "2s",
                "--threads", "3", "--accounts", "10");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("a small bank on " + scheme).contains("ALL HOLD");
        assertThat(row(run.out(), "transfers applied twice").get(0)).isZero();
        assertThat(row(run.out(), "transfer rows in the database").get(0))
                .isEqualTo(row(run.out(), "transfers acknowledged as committed").get(0));
    }

    @Test
    void runsAgainstPostgresqlGivenItsUrl() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            runsAgainstServer(db, "jdbc:postgresql:");
        }
    }

    @Test
    void runsAgainstMariadbGivenItsUrl() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            runsAgainstServer(db, "jdbc:mariadb:");
        }
    }

    @Test
    void unreachableServerExitsWithThreeAndSaysWhy() {
        CliRun run = CliRun.of("demo", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(DemoCommand.UNREACHABLE);
        assertThat(run.err()).contains("bulwark demo: cannot use the database jdbc:postgresql://127.0.0.1:1/none");
    }

    @Test
    void badArgumentsExitWithUsageErrors() {
        assertThat(CliRun.of("demo", "--threads", "0").err()).contains("--threads must be 1 to 64, was 0");
        assertThat(CliRun.of("demo", "--duration", "soon").err()).contains("'soon' is not a duration");
        assertThat(CliRun.of("demo", "--duration", "0s").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("demo", "--user", "app").err()).contains("--user needs --url");
        assertThat(CliRun.of("demo", "--accounts", "1").exitCode()).isEqualTo(2);
    }
}
