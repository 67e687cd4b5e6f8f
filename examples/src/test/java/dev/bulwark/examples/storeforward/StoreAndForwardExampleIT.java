package dev.bulwark.examples.storeforward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.recovery.WriteResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store-and-forward example: writes during the outage are buffered, then applied once. */
class StoreAndForwardExampleIT {

    @Test
    void buffersWritesDuringTheOutageAndAppliesThemOnce(@TempDir Path dir) throws Exception {
        StoreAndForwardExample.Outcome o = StoreAndForwardExample.run(dir);

        assertThat(o.results()).hasSize(5);
        assertThat(o.results().subList(0, 2)).allMatch(r -> r instanceof WriteResult.Committed);
        assertThat(o.results().subList(2, 5)).allMatch(r -> r instanceof WriteResult.Buffered);
        assertThat(o.rowsAtEnd()).isEqualTo(5);
        assertThat(o.backlogAtEnd()).isZero();
    }
}
