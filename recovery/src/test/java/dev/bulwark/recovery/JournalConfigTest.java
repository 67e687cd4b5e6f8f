package dev.bulwark.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JournalConfigTest {

    @Test
    void defaultsToSyncedSixtyFourMebibyteSegmentsAndOneGibibyteLimit() {
        JournalConfig config = JournalConfig.builder().withDirectory(Path.of("j")).build();

        assertThat(config.segmentSize()).isEqualTo(64L << 20);
        assertThat(config.maxSize()).isEqualTo(1L << 30);
        assertThat(config.durability()).isEqualTo(Durability.SYNC);
        assertThat(config.maxPayloadSize()).isEqualTo((64 << 20) - 32);
    }

    @Test
    void rejectsTooSmallSizesNamingTheProperty() {
        assertThatThrownBy(() -> JournalConfig.builder().withSegmentSize(63))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentSize")
                .hasMessageContaining("63");
        assertThatThrownBy(() -> JournalConfig.builder().withMaxSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize");
    }

    @Test
    void requiresADirectory() {
        assertThatThrownBy(() -> JournalConfig.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("withDirectory");
    }

    @Test
    void boundsThePayloadByTheSmallerOfSegmentAndMaxSize() {
        JournalConfig config = JournalConfig.builder().withDirectory(Path.of("j")).withSegmentSize(1000)
                .withMaxSize(500).build();

        assertThat(config.maxPayloadSize()).isEqualTo(484);
    }
}
