package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassifyCommandTest {

    @Test
    void serializationFailureOnPostgresqlIsTransientAndRetriedAsAUnit() {
        CliRun run = CliRun.of("classify", "40001", "--dialect", "postgresql");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("kind                   TRANSIENT")
                .contains("retry scope            UNIT")
                .contains("dialect postgresql");
    }

    @Test
    void sqliteBusyIsReadFromTheVendorCodeWithoutSqlState() {
        CliRun run = CliRun.of("classify", "-", "5", "--dialect", "sqlite");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("SQLState (none), vendor code 5").contains("TRANSIENT");
    }

    @Test
    void uniqueViolationIsNeverRetried() {
        CliRun run = CliRun.of("classify", "23505", "--dialect", "postgresql");

        assertThat(run.out()).contains("CONSTRAINT").contains("retry scope            NONE");
    }

    @Test
    void connectionFailureCountsTowardTheBreakerAndEvictsTheConnection() {
        CliRun run = CliRun.of("classify", "08006", "--dialect", "postgresql");

        assertThat(run.out()).contains("CONNECTION").contains("counts toward opening it").contains("evicted from the pool");
    }

    @Test
    void malformedSqlStateExitsWithUsageErrorNamingTheArgument() {
        CliRun run = CliRun.of("classify", "4000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("<SQLState> must be five digits or letters").contains("'4000'");
    }

    @Test
    void unknownDialectExitsWithUsageErrorListingTheChoices() {
        CliRun run = CliRun.of("classify", "40001", "--dialect", "oracle");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dialect must be one of postgresql, mysql, mariadb, sqlite, h2, generic; was 'oracle'");
    }

    @Test
    void nonNumericVendorCodeIsAUsageError() {
        CliRun run = CliRun.of("classify", "40001", "deadlock");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("deadlock");
    }

    @Test
    void missingSubcommandIsAUsageErrorThatListsTheCommands() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("a subcommand is required").contains("classify").contains("doctor").contains("demo");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRun run = CliRun.of("backup");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("backup");
    }

    @Test
    void helpListsEveryDialectAndEachOneListedIsAccepted() {
        String help = CliRun.of("classify", "--help").out().replaceAll("\\s+", " ");

        for (dev.bulwark.core.Dialect d : dev.bulwark.core.Dialect.values()) {
            assertThat(help).contains(d.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(help).contains("mariadb");
        for (String name : ClassifyCommand.DialectNames.ALL) {
            assertThat(help).contains(name);
            CliRun run = CliRun.of("classify", "40001", "--dialect", name);
            assertThat(run.exitCode()).as(name + ": " + run.err()).isZero();
        }
    }
}
