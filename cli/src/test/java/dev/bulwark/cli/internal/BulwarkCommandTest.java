package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level command: its help lists every command, and no command is a usage error. */
class BulwarkCommandTest {

    @Test
    void helpListsTheRecoveryCommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("classify").contains("doctor").contains("demo").contains("backup")
                .contains("verify").contains("restore").contains("journal").contains("copy");
    }

    @Test
    void journalHelpListsInspectAndDrain() {
        CliRun run = CliRun.of("journal", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("inspect").contains("drain");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("a subcommand is required").contains("journal or copy");
    }
}
