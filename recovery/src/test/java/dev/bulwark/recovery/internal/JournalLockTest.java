package dev.bulwark.recovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.recovery.JournalConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalLockTest {

    @TempDir
    Path dir;

    @Test
    void anotherProcessCannotOpenTheDirectoryWhileAJournalHoldsIt() throws Exception {
        try (FileJournal journal = FileJournal.open(JournalConfig.builder().withDirectory(dir).build())) {
            journal.append(new byte[] {1});

            assertThat(probe()).startsWith("REFUSED").contains("is already open").contains("journal.lock");
        }
        assertThat(probe()).isEqualTo("OPENED 1");
    }

    private String probe() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-Dslf4j.internal.verbosity=WARN",
                "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }
}
