package dev.bulwark.jdbc.internal.pool;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The MariaDB Connector/J settings that bound its failover loop (see {@link MariaDbFailover} for why), and which of
 * them an application left unset. Free of HikariCP, so that the {@code jdbc:bulwark:} driver can use it. Stateless.
 */
public final class MariaDbFailoverSettings {

    private static final Pattern MULTI_HOST = Pattern.compile("(?i)^jdbc:mariadb:[a-z_-]+://.*");
    static final Map<String, String> BOUNDED = boundedSettings();

    private static Map<String, String> boundedSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("retriesAllDown", "3");
        m.put("deniedListTimeout", "2000");
        return Map.copyOf(m);
    }

    /** Whether {@code url} is a MariaDB Connector/J URL with a failover mode. */
    public static boolean multiHost(String url) {
        return url != null && MULTI_HOST.matcher(url).matches();
    }

    /** The bounded settings the application did not set itself, in the URL or the pool's properties. */
    public static Map<String, String> missing(String url, Properties properties) {
        Map<String, String> missing = new LinkedHashMap<>();
        String lower = url.toLowerCase(Locale.ROOT);
        BOUNDED.forEach((key, value) -> {
            boolean inUrl = lower.contains(key.toLowerCase(Locale.ROOT) + "=");
            boolean inProperties = properties.stringPropertyNames().stream().anyMatch(key::equalsIgnoreCase);
            if (!inUrl && !inProperties) {
                missing.put(key, value);
            }
        });
        return missing;
    }

    private MariaDbFailoverSettings() {
    }
}
