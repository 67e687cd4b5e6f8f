package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresClusterBuilderTest {

    @Test
    void rejectsSettingsTheClusterManagesItself() {
        for (String managed : new String[] {"port", "PORT", "listen_addresses", "unix_socket_directories",
                "synchronous_standby_names", "primary_conninfo", "include"}) {
            assertThatThrownBy(() -> PostgresCluster.builder().withSetting(managed, "1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("managed by PostgresCluster");
        }
    }

    @Test
    void rejectsMalformedSettingNamesAndValues() {
        assertThatThrownBy(() -> PostgresCluster.builder().withSetting("fsync = on #", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fsync = on #'");
        assertThatThrownBy(() -> PostgresCluster.builder().withSetting(null, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setting name is null");
        assertThatThrownBy(() -> PostgresCluster.builder().withSetting("work_mem", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work_mem");
        assertThatThrownBy(() -> PostgresCluster.builder().withSetting("work_mem", "4MB\nport = 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    }

    @Test
    void acceptsCustomAndMixedCaseSettingNamesInLowerCase() {
        PostgresClusterBuilder builder = PostgresCluster.builder()
                .withSetting("Work_Mem", "8MB").withSetting("bulwark.flavour", "test");
        assertThat(builder.settings()).containsEntry("work_mem", "8MB").containsEntry("bulwark.flavour", "test");
    }

    @Test
    void withMethodsReturnNewBuildersAndLeaveTheOriginalUnchanged() {
        PostgresClusterBuilder base = PostgresCluster.builder();
        PostgresClusterBuilder changed = base.withSetting("fsync", "on").withSynchronousStandby(true)
                .withPassword("pw").withCommandTimeout(Duration.ofSeconds(5));
        assertThat(base.settings()).isEmpty();
        assertThat(base.synchronousStandby()).isFalse();
        assertThat(base.password()).isNull();
        assertThat(changed.settings()).containsEntry("fsync", "on");
        assertThat(changed.synchronousStandby()).isTrue();
        assertThat(changed.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsUnusablePasswordsAndTimeouts() {
        assertThatThrownBy(() -> PostgresCluster.builder().withPassword(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> PostgresCluster.builder().withPassword("a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> PostgresCluster.builder().withCommandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> PostgresCluster.builder().withCommandTimeout(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2H");
    }

    @Test
    void toStringMasksThePassword() {
        assertThat(PostgresCluster.builder().withPassword("hunter2-secret").toString())
                .doesNotContain("hunter2-secret").contains("password=***");
    }

    @Test
    void multiHostUrlNeedsAtLeastOneNode() {
        assertThatThrownBy(PostgresCluster::multiHostJdbcUrl).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresCluster.multiHostJdbcUrl((PostgresCluster) null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
