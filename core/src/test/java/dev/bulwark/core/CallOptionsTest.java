package dev.bulwark.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallOptionsTest {

    @Test
    void defaultsDeferToTheConfiguration() {
        CallOptions defaults = CallOptions.defaults();
        assertThat(defaults.operation()).isEqualTo("call");
        assertThat(defaults.deadlineOr(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(defaults.maxAttemptsOr(3)).isEqualTo(3);
        assertThat(defaults.retryAllowed()).isTrue();
    }

    @Test
    void overridesApplyAndForbiddingRetryMeansOneAttempt() {
        CallOptions options = CallOptions.defaults().withOperation("acquire").withDeadline(Duration.ofSeconds(2))
                .withMaxAttempts(6);
        assertThat(options.deadlineOr(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.maxAttemptsOr(3)).isEqualTo(6);
        assertThat(options.withRetryAllowed(false).maxAttemptsOr(3)).isEqualTo(1);
        assertThat(options.toString()).contains("acquire", "PT2S", "6");
    }

    @Test
    void badValuesAreRejectedNamingThem() {
        assertThatThrownBy(() -> CallOptions.defaults().withDeadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CallOptions.defaults().withMaxAttempts(0)).hasMessageContaining("maxAttempts: 0");
        assertThatThrownBy(() -> CallOptions.defaults().withOperation(" ")).hasMessageContaining("operation");
    }

    @Test
    void remainingSecondsRoundUpAndNeverFallBelowOne() {
        assertThat(context(Duration.ofMillis(1500)).remainingSecondsCeil()).isEqualTo(2);
        assertThat(context(Duration.ofSeconds(3)).remainingSecondsCeil()).isEqualTo(3);
        assertThat(context(Duration.ofMillis(-5)).remainingSecondsCeil()).isEqualTo(1);
    }

    private static AttemptContext context(Duration remaining) {
        return new AttemptContext() {
            @Override
            public int attempt() {
                return 1;
            }

            @Override
            public Duration remaining() {
                return remaining;
            }

            @Override
            public Optional<Fault> previousFault() {
                return Optional.empty();
            }

            @Override
            public String operation() {
                return "call";
            }
        };
    }
}
