package dev.bulwark.examples.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.recovery.Backup;
import dev.bulwark.recovery.TableChecksum;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup example: the restored tables carry the backup's checksums. */
class BackupExampleIT {

    @Test
    void restoredTablesMatchTheBackup(@TempDir Path dir) throws Exception {
        BackupExample.Outcome o = BackupExample.run(dir);

        assertThat(o.verified().isIntact()).isTrue();
        assertThat(o.restored()).extracting(TableChecksum::table).containsExactlyInAnyOrder("customer", "orders");
        for (TableChecksum t : o.restored()) {
            Backup.Table recorded = o.backup().tables().stream().filter(b -> b.name().equals(t.table())).findFirst().orElseThrow();
            assertThat(t.sha256()).isEqualTo(recorded.checksum());
            assertThat(t.rowCount()).isEqualTo(recorded.rowCount());
        }
        assertThat(o.restored()).filteredOn(t -> t.table().equals("orders")).singleElement()
                .extracting(TableChecksum::rowCount).isEqualTo(3L);
    }
}
