package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.BulwarkProperty;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.spring.internal.ConfigurationMetadata;
import dev.bulwark.spring.internal.SpringConfigBinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.sqlite.SQLiteDataSource;

/** The auto-configuration on real SQLite files: what is wrapped, and how bulwark.* is bound and checked. */
class BulwarkAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BulwarkAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"));
    }

    @Test
    void wrapsTheApplicationsDataSourceWithTheBoundConfiguration() {
        runner().withPropertyValues("bulwark.retry.max-attempts=5", "bulwark.timeout.total=7s",
                        "bulwark.breaker.waitInOpenState=250ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource ds = context.getBean(DataSource.class);
                    assertThat(ds).isInstanceOf(BulwarkDataSource.class);
                    assertThat(((BulwarkDataSource) ds).name()).isEqualTo("dataSource");
                    BulwarkConfig config = context.getBean(BulwarkConfig.class);
                    assertThat(config.retry().maxAttempts()).isEqualTo(5);
                    assertThat(config.get(BulwarkProperties.TIMEOUT_TOTAL)).isEqualTo(Duration.ofSeconds(7));
                    assertThat(config.get(BulwarkProperties.BREAKER_WAIT_IN_OPEN_STATE)).isEqualTo(Duration.ofMillis(250));
                    assertThat(context).hasSingleBean(BulwarkTransactions.class);
                    // and it works: a unit of work through the bean
                    int one = ((BulwarkDataSource) ds).inTransaction(c -> {
                        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT 1")) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    });
                    assertThat(one).isEqualTo(1);
                });
    }

    @Test
    void bulwarkEnabledFalseLeavesEverythingAsItWas() {
        runner().withPropertyValues("bulwark.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DataSource.class)).isNotInstanceOf(BulwarkDataSource.class);
            assertThat(context).doesNotHaveBean(BulwarkConfig.class).doesNotHaveBean(BulwarkTransactions.class);
        });
    }

    @Test
    void theHealthIndicatorIsThereUnlessManagementHealthBulwarkEnabledIsFalse() {
        runner().run(context -> assertThat(context).hasBean("bulwarkHealthIndicator")
                .hasSingleBean(dev.bulwark.spring.internal.BulwarkMeterBinder.class));
        runner().withPropertyValues("management.health.bulwark.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("bulwarkHealthIndicator"));
    }

    @Test
    void excludedRoutingAndAlreadyWrappedDataSourcesAreLeftAlone() {
        runner().withUserConfiguration(SeveralDataSources.class)
                .withPropertyValues("bulwark.spring.exclude-beans=reporting")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("orders")).isInstanceOf(BulwarkDataSource.class);
                    assertThat(((BulwarkDataSource) context.getBean("orders")).name()).isEqualTo("orders");
                    assertThat(context.getBean("reporting")).isInstanceOf(SQLiteDataSource.class);
                    assertThat(context.getBean("routing")).isInstanceOf(AbstractRoutingDataSource.class);
                    // wrapped by the application itself: the same object, not wrapped twice
                    assertThat(context.getBean("ownWrap")).isSameAs(SeveralDataSources.OWN_WRAP);
                    assertThat(context).doesNotHaveBean(BulwarkTransactions.class); // no single DataSource
                });
        runner().withUserConfiguration(SeveralDataSources.class)
                .withPropertyValues("bulwark.spring.wrap-routing-data-sources=true")
                .run(context -> assertThat(context.getBean("routing")).isInstanceOf(BulwarkDataSource.class));
    }

    @Test
    void oneBulwarkNameForSeveralDataSourcesIsRefusedNamingBoth() {
        runner().withUserConfiguration(SeveralDataSources.class).withPropertyValues("bulwark.name=shop")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("named 'shop'").hasMessageContaining("Unset bulwark.name"));
    }

    /**
     * One source of truth: every property the core declares is read from Spring's environment under its
     * relaxed name. An invalid value for each must fail with the core's message naming the key and the Spring
     * property it came from (the binding itself; a full context start per key is the next test's business).
     */
    @Test
    void everyDeclaredPropertyIsBoundAndValidatedByTheCore() {
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            String springKey = SpringConfigBinder.springKey(property);
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(springKey, "not a value")));
            assertThatThrownBy(() -> SpringConfigBinder.bind(environment)).as(springKey)
                    .hasMessageStartingWith("Invalid value for " + property.key() + ": ")
                    .hasMessageContaining("from Spring property " + springKey);
        }
    }

    @Test
    void anOutOfRangeValueStopsStartUpWithTheCoresMessageAndWhereItCameFrom() {
        runner().withPropertyValues("bulwark.retry.maxAttempts=0").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageStartingWith("Invalid value for bulwark.retry.maxAttempts: 0 (expected 1..100)")
                .hasMessageContaining("bulwark.retry.max-attempts"));
    }

    @Test
    void startUpFailsWithSpringBootsReportNamingThePropertyNotAStackOfBeanErrors() {
        runner().withPropertyValues("bulwark.timeout.total=0ms").run(context -> {
            Throwable failure = context.getStartupFailure();
            org.springframework.boot.diagnostics.FailureAnalysis analysis =
                    new dev.bulwark.spring.internal.BulwarkPropertyFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Invalid value for bulwark.timeout.total: 0ms (expected 1ms..24h)");
            assertThat(analysis.getAction()).contains("docs/configuration.md");
        });
    }

    @Test
    void anUnknownBulwarkKeyIsRefusedWithTheNearestKnownOne() {
        runner().withPropertyValues("bulwark.retry.max-attempt=3").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageStartingWith("Unknown Bulwark property bulwark.retry.max-attempt")
                .hasMessageEndingWith("did you mean bulwark.retry.max-attempts?"));
        // the starter's own switches and the reserved namespaces are known
        runner().withPropertyValues("bulwark.spring.exclude-beans=x", "bulwark.test.anything=1", "bulwark.cli.log-level=INFO")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theCoresEnvironmentVariableNameWinsAsItDoesEverywhereElse() {
        Map<String, Object> env = new HashMap<>();
        env.put("BULWARK_RETRY_MAX_ATTEMPTS", "7");
        runner().withPropertyValues("bulwark.retry.max-attempts=4")
                .withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(
                        new org.springframework.core.env.SystemEnvironmentPropertySource("testEnvironment", env)))
                .run(context -> assertThat(context.getBean(BulwarkConfig.class).retry().maxAttempts()).isEqualTo(7));
    }

    /** IDE completion: the committed metadata is exactly what the declarations render, every key included. */
    @Test
    void configurationMetadataMatchesTheDeclarations() throws Exception {
        Path file = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as("spring-configuration-metadata.json differs from BulwarkProperties; regenerate it with: %s",
                        ConfigurationMetadata.REGENERATE)
                .isEqualTo(ConfigurationMetadata.render());
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            assertThat(ConfigurationMetadata.render()).contains("\"name\": \"" + SpringConfigBinder.springKey(property) + "\"");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SeveralDataSources {
        static final BulwarkDataSource OWN_WRAP = Bulwark.wrap(new SQLiteDataSource());

        @Bean
        DataSource orders() {
            return new SQLiteDataSource();
        }

        @Bean
        DataSource reporting() {
            return new SQLiteDataSource();
        }

        @Bean
        DataSource ownWrap() {
            return OWN_WRAP;
        }

        @Bean
        DataSource routing() {
            AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
                @Override
                protected Object determineCurrentLookupKey() {
                    return "a";
                }
            };
            routing.setTargetDataSources(Map.of("a", new SQLiteDataSource()));
            return routing;
        }
    }
}
