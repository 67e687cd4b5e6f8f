package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.BulwarkConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The command line's own variables (its passwords, its log level) live in the namespace the library reserves,
 * so an application sharing the environment with the CLI still loads its Bulwark configuration.
 */
class CliVariablesTest {

    @Test
    void theCommandLinesVariablesDoNotDisturbAnApplicationsConfiguration() {
        Map<String, String> environment = Map.of(
                PasswordSource.VARIABLE, "cli-password",
                CopyCommand.SOURCE_PASSWORD, "source-password",
                CopyCommand.TARGET_PASSWORD, "target-password",
                "BULWARK_RETRY_MAX_ATTEMPTS", "5");
        Properties system = new Properties();
        system.setProperty("bulwark.cli.logLevel", "INFO");

        BulwarkConfig config = BulwarkConfig.load(new Properties(), system, environment);

        assertThat(config.retry().maxAttempts()).isEqualTo(5);
        assertThat(PasswordSource.VARIABLE).startsWith("BULWARK_CLI_");
        assertThat(CopyCommand.SOURCE_PASSWORD).startsWith("BULWARK_CLI_");
        assertThat(CopyCommand.TARGET_PASSWORD).startsWith("BULWARK_CLI_");
    }
}
