package dev.bulwark.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own switches: {@code bulwark.enabled} and {@code bulwark.spring.*}. Every other
 * {@code bulwark.*} key is one of the core's declared properties (see {@code docs/configuration.md}) and is
 * bound into the {@code BulwarkConfig} bean from the same declarations.
 *
 * <p>A mutable bean filled by Spring's binder at start-up, read-only afterwards.
 */
@ConfigurationProperties(prefix = "bulwark")
public class BulwarkSpringProperties {

    /** Whether the starter wraps DataSource beans and adds Bulwark's health, meters and transactions. */
    private boolean enabled = true;

    /** Settings of the Spring integration itself. */
    private final Spring spring = new Spring();

    /** Whether the starter is on ({@code bulwark.enabled}, default true). */
    public boolean isEnabled() {
        return enabled;
    }

    /** Turns the starter on or off. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The {@code bulwark.spring.*} settings. */
    public Spring getSpring() {
        return spring;
    }

    /** The {@code bulwark.spring.*} settings. */
    public static class Spring {

        /** Names of DataSource beans that are left unwrapped. */
        private List<String> excludeBeans = new ArrayList<>();

        /** Whether AbstractRoutingDataSource beans are wrapped too (off: wrap the data sources they route to). */
        private boolean wrapRoutingDataSources;

        /** The DataSource bean names left unwrapped ({@code bulwark.spring.exclude-beans}). */
        public List<String> getExcludeBeans() {
            return excludeBeans;
        }

        /** Sets the DataSource bean names left unwrapped. */
        public void setExcludeBeans(List<String> excludeBeans) {
            this.excludeBeans = new ArrayList<>(excludeBeans);
        }

        /** Whether routing DataSources are wrapped ({@code bulwark.spring.wrap-routing-data-sources}). */
        public boolean isWrapRoutingDataSources() {
            return wrapRoutingDataSources;
        }

        /** Sets whether routing DataSources are wrapped. */
        public void setWrapRoutingDataSources(boolean wrapRoutingDataSources) {
            this.wrapRoutingDataSources = wrapRoutingDataSources;
        }
    }
}
