package dev.bulwark.recovery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Bulwark version recorded in backups, from a resource filtered at build time. */
public final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/bulwark/recovery/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
