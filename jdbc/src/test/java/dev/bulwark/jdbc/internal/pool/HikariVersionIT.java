package dev.bulwark.jdbc.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The HikariCP these tests run against is the one the build meant: 7.x on the jdbc module's own test class path, and
 * in compat/ the oldest supported release ({@code bulwark.test.expectedHikariVersion}), so a class path that resolved
 * another HikariCP cannot pass for a compatibility run.
 */
class HikariVersionIT {

    @Test
    void runsAgainstTheExpectedHikariCp() throws Exception {
        Path jar = Path.of(HikariDataSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String actual;
        try (JarFile file = new JarFile(jar.toFile())) {
            actual = file.getManifest().getMainAttributes().getValue("Bundle-Version"); // HikariCP's OSGi manifest
        }
        String expected = System.getProperty("bulwark.test.expectedHikariVersion");
        if (expected == null) {
            assertThat(actual).as("HikariCP of " + jar).startsWith("7.");
        } else {
            assertThat(actual).as("HikariCP of " + jar).isEqualTo(expected);
        }
    }
}
