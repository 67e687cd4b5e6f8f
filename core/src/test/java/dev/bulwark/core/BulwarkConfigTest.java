package dev.bulwark.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulwarkConfigTest {

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void defaultsMatchTheDeclarations() {
        BulwarkConfig config = BulwarkConfig.defaults();
        assertThat(config.retry().maxAttempts()).isEqualTo(3);
        assertThat(config.retry().budgetRatio()).isEqualTo(0.2);
        assertThat(config.breaker().waitInOpenState()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.timeouts().total()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.jdbc().slowStatementThreshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.jdbc().commitResolution()).isEqualTo(CommitResolution.AUTO);
        assertThat(config.sqlite().busyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.sqlite().wal()).isTrue();
        assertThat(config.bulkhead().maxConcurrent()).isZero();
        assertThat(config.rateLimit().perSecond()).isZero();
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            assertThat(config.get(property)).as(property.key()).isEqualTo(property.defaultValue());
        }
    }

    @Test
    void buildersRejectBadValuesNamingTheKeyAndValue() {
        assertThatThrownBy(() -> RetryConfig.builder().withMaxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value for bulwark.retry.maxAttempts: 0 (expected 1..100)");
        assertThatThrownBy(() -> RetryConfig.builder().withBudgetRatio(1.5))
                .hasMessageContaining("bulwark.retry.budgetRatio").hasMessageContaining("1.5");
        assertThatThrownBy(() -> TimeoutConfig.builder().withTotal(Duration.ZERO))
                .hasMessage("Invalid value for bulwark.timeout.total: 0ms (expected 1ms..24h)");
        assertThatThrownBy(() -> BreakerConfig.builder().withFailureRateThreshold(0))
                .hasMessageContaining("bulwark.breaker.failureRateThreshold").hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> BulwarkConfig.builder().withName("my pool"))
                .hasMessageContaining("bulwark.name").hasMessageContaining("my pool");
        assertThatThrownBy(() -> TimeoutConfig.builder().withNetwork(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("bulwark.timeout.network");
    }

    @Test
    void contradictorySettingsAreRejectedNamingBothKeys() {
        assertThatThrownBy(() -> BreakerConfig.builder().withSlidingWindowSize(5).withMinimumCalls(10).build())
                .hasMessageContaining("bulwark.breaker.minimumCalls").hasMessageContaining("bulwark.breaker.slidingWindowSize=5");
        assertThatThrownBy(() -> RetryConfig.builder().withInitialBackoff(Duration.ofSeconds(5)).build())
                .hasMessageContaining("bulwark.retry.initialBackoff: 5s").hasMessageContaining("bulwark.retry.maxBackoff=2s");
    }

    @Test
    void loadsPropertiesWithDurationsBooleansAndModes() {
        BulwarkConfig config = BulwarkConfig.fromProperties(properties(
                "bulwark.retry.maxAttempts", "5",
                "bulwark.retry.maxBackoff", "PT3S",
                "bulwark.timeout.statement", "500ms",
                "bulwark.timeout.total", "1m",
                "bulwark.sqlite.wal", "false",
                "bulwark.jdbc.commitResolution", "transaction-id",
                "bulwark.breaker.failureRateThreshold", "25.5",
                "user", "app", "password", "secret"));
        assertThat(config.retry().maxAttempts()).isEqualTo(5);
        assertThat(config.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.timeouts().statement()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.timeouts().total()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.sqlite().wal()).isFalse();
        assertThat(config.jdbc().commitResolution()).isEqualTo(CommitResolution.TRANSACTION_ID);
        assertThat(config.breaker().failureRateThreshold()).isEqualTo(25.5);
        assertThat(config.toString()).doesNotContain("secret").doesNotContain("password");
    }

    @Test
    void malformedValuesAreRejectedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.sqlite.wal", "yes")))
                .hasMessage("Invalid value for bulwark.sqlite.wal: 'yes' (expected true or false) from properties");
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.timeout.total", "10 seconds")))
                .hasMessageContaining("bulwark.timeout.total").hasMessageContaining("'10 seconds'");
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.retry.maxAttempts", "three")))
                .hasMessageContaining("bulwark.retry.maxAttempts: 'three' (expected an integer in digits 0-9)");
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.retry.maxAttempts", "1000")))
                .hasMessageContaining("bulwark.retry.maxAttempts: 1000 (expected 1..100)");
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.jdbc.commitResolution", "xid")))
                .hasMessageContaining("auto|transaction-id|ledger|off");
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.retry.budgetRatio", "NaN")))
                .hasMessageContaining("bulwark.retry.budgetRatio");
    }

    @Test
    void unknownKeysAreRejectedWithTheNearestKnownKey() {
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.retry.maxAttempt", "5")))
                .hasMessage("Unknown Bulwark property bulwark.retry.maxAttempt in properties;"
                        + " did you mean bulwark.retry.maxAttempts?");
        assertThatThrownBy(() -> BulwarkConfig.builder().withText("bulwark.breaker.waitInOpen", "1s"))
                .hasMessageContaining("did you mean bulwark.breaker.waitInOpenState?");
        assertThatThrownBy(() -> BulwarkConfig.fromEnvironment(Map.of("BULWARK_RETRY_MAX_ATEMPTS", "2")))
                .hasMessageContaining("did you mean BULWARK_RETRY_MAX_ATTEMPTS?");
    }

    @Test
    void theCommandLinesOwnVariablesAreReservedAndIgnored() {
        // The CLI's passwords and log level (docs/cli.md) live under bulwark.cli.* / BULWARK_CLI_*, which the
        // library reserves: an application that shares the environment with the CLI still loads its config.
        Map<String, String> env = Map.of("BULWARK_CLI_PASSWORD", "secret", "BULWARK_CLI_SOURCE_PASSWORD", "s",
                "BULWARK_CLI_TARGET_PASSWORD", "t", "BULWARK_RETRY_MAX_ATTEMPTS", "6");
        Properties system = properties("bulwark.cli.logLevel", "INFO");
        BulwarkConfig config = BulwarkConfig.load(new Properties(), system, env);
        assertThat(config.retry().maxAttempts()).isEqualTo(6);
        assertThat(config.toString()).doesNotContain("secret");
    }

    @Test
    void theSpringStartersOwnSwitchesAreReservedAndIgnored() {
        // An application that runs the Spring Boot starter with -Dbulwark.enabled=false or BULWARK_SPRING_* in its
        // environment must still load its config (the jdbc:bulwark: driver reads both sources).
        Map<String, String> env = Map.of("BULWARK_ENABLED", "false", "BULWARK_SPRING_EXCLUDE_BEANS", "reporting",
                "BULWARK_RETRY_MAX_ATTEMPTS", "6");
        Properties system = properties("bulwark.enabled", "false");
        system.setProperty("bulwark.spring.wrapRoutingDataSources", "true");
        BulwarkConfig config = BulwarkConfig.load(new Properties(), system, env);
        assertThat(config.retry().maxAttempts()).isEqualTo(6);
        // only the whole key is reserved: a key that merely starts with it is still checked
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.enabledX", "true")))
                .hasMessageStartingWith("Unknown Bulwark property bulwark.enabledX in properties");
    }

    @Test
    void aKeyInAnyOtherLetterCaseIsRefusedNotSkipped() {
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("Bulwark.retry.maxAttempts", "abc")))
                .hasMessage("Unknown Bulwark property Bulwark.retry.maxAttempts in properties;"
                        + " did you mean bulwark.retry.maxAttempts?");
        assertThatThrownBy(() -> BulwarkConfig.fromEnvironment(Map.of("Bulwark_Retry_Max_Attempts", "2")))
                .hasMessageContaining("did you mean BULWARK_RETRY_MAX_ATTEMPTS?");
    }

    @Test
    void valuesAreTakenExactlyAsWrittenWithoutBlanksOrOtherScriptsDigits() {
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.retry.maxAttempts", " 5")))
                .hasMessage("Invalid value for bulwark.retry.maxAttempts: ' 5' (blanks around the value are not "
                        + "accepted) from properties");
        assertThatThrownBy(() -> BulwarkConfig.fromEnvironment(Map.of("BULWARK_SQLITE_WAL", "true\n")))
                .hasMessageContaining("BULWARK_SQLITE_WAL");
        // U+0665 ARABIC-INDIC DIGIT FIVE: Integer.parseInt reads it as 5.
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.retry.maxAttempts", "\u0665")))
                .hasMessageContaining("expected an integer in digits 0-9");
        assertThatThrownBy(() -> BulwarkConfig.fromProperties(properties("bulwark.timeout.total", "\u0665s")))
                .hasMessageContaining("bulwark.timeout.total");
        assertThat(BulwarkConfig.fromProperties(properties("bulwark.retry.maxAttempts", "+5")).retry().maxAttempts())
                .isEqualTo(5);
    }

    @Test
    void loadsEnvironmentVariablesAndIgnoresOtherVariables() {
        BulwarkConfig config = BulwarkConfig.fromEnvironment(Map.of(
                "BULWARK_RETRY_MAX_ATTEMPTS", "7",
                "BULWARK_BREAKER_WAIT_IN_OPEN_STATE", "2s",
                "BULWARK_TEST_PG_URL", "jdbc:postgresql://elsewhere/test",
                "PATH", "/usr/bin"));
        assertThat(config.retry().maxAttempts()).isEqualTo(7);
        assertThat(config.breaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(2));
        assertThat(BulwarkProperties.JDBC_SLOW_STATEMENT_THRESHOLD.environmentVariable())
                .isEqualTo("BULWARK_JDBC_SLOW_STATEMENT_THRESHOLD");
    }

    @Test
    void environmentOverridesSystemPropertiesWhichOverrideGivenProperties() {
        Properties given = properties("bulwark.retry.maxAttempts", "2", "bulwark.timeout.total", "5s",
                "bulwark.name", "given");
        Properties system = properties("bulwark.retry.maxAttempts", "4", "bulwark.name", "system",
                "bulwark.test.requireDatabases", "true", "java.version", "17");
        Map<String, String> env = Map.of("BULWARK_NAME", "env");

        BulwarkConfig config = BulwarkConfig.load(given, system, env);

        assertThat(config.name()).isEqualTo("env");
        assertThat(config.retry().maxAttempts()).isEqualTo(4);
        assertThat(config.timeouts().total()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void systemPropertiesAreRead() {
        String key = "bulwark.rateLimit.perSecond";
        String previous = System.getProperty(key);
        System.setProperty(key, "250");
        try {
            assertThat(BulwarkConfig.fromSystemProperties().rateLimit().perSecond()).isEqualTo(250);
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }

    @Test
    void partsReplaceTheirWholeGroupAndConfigsCompareByValue() {
        BulwarkConfig first = BulwarkConfig.builder()
                .withRetry(RetryConfig.builder().withMaxAttempts(9).withBudgetRatio(0.5).build())
                .withRetry(RetryConfig.builder().withMaxAttempts(4).build())
                .build();
        assertThat(first.retry().maxAttempts()).isEqualTo(4);
        assertThat(first.retry().budgetRatio()).isEqualTo(0.2);
        BulwarkConfig second = BulwarkConfig.builder().with(BulwarkProperties.RETRY_MAX_ATTEMPTS, 4).build();
        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
        assertThat(first.toBuilder().withName("other").build()).isNotEqualTo(first);
        assertThat(first.retry().toBuilder().build()).isEqualTo(first.retry());
        assertThat(first.toString()).contains("bulwark.retry.maxAttempts=4", "bulwark.timeout.total=1m");
    }

    @Test
    void secretValuesAreMaskedInTextAndErrors() {
        BulwarkProperty<String> token = BulwarkProperty.text("bulwark.example.token", "none", "[a-z]+",
                "An example secret.").asSecret();
        assertThat(token.secret()).isTrue();
        assertThat(token.display("hunter")).isEqualTo("****");
        assertThatThrownBy(() -> token.parse("Hunter2"))
                .hasMessageContaining("bulwark.example.token").hasMessageNotContaining("Hunter2");
    }
}
