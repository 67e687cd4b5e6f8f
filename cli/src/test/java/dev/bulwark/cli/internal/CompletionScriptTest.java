package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The completion script is generated from the real command tree: every command, option and dialect is in it. */
class CompletionScriptTest {

    @TempDir
    Path tmp;

    @Test
    void namesEveryCommandEveryOptionAndEveryDialect() throws Exception {
        Path file = tmp.resolve("sub").resolve("bulwark.bash");
        CompletionScript.main(new String[] {file.toString()});
        String script = Files.readString(file);

        assertThat(script).contains("_complete_bulwark");
        CommandLine cli = BulwarkCommand.commandLine(false);
        assertThat(cli.getSubcommands()).isNotEmpty();
        cli.getSubcommands().forEach((name, sub) -> {
            assertThat(script).contains(name);
            sub.getCommandSpec().options().forEach(o -> assertThat(script).contains(o.longestName()));
        });
        ClassifyCommand.DialectNames.ALL.forEach(d -> assertThat(script).contains(d));
    }

    @Test
    void versionIsTheBuildsVersion() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("bulwark " + Version.of() + System.lineSeparator());
        assertThat(Version.of()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
