package dev.bulwark.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code bulwark --version}: the build's version (filtered into {@code version.properties}) and the Java runtime. */
final class Version implements IVersionProvider {

    /**
     * The version this command was built as.
     *
     * @throws IllegalStateException if the build left {@code version.properties} out or unfiltered
     */
    static String of() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/bulwark/cli/internal/version.properties is missing from the build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            throw new IllegalStateException("version.properties was not filtered by the build: '" + version + "'");
        }
        return version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"bulwark " + of(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
