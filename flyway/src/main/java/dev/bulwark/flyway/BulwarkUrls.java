package dev.bulwark.flyway;

import java.util.Locale;

/** Which database a {@code jdbc:bulwark:} URL wraps. */
final class BulwarkUrls {

    private BulwarkUrls() {
    }

    /** Whether {@code url} is {@code jdbc:bulwark:<engine>:...}. */
    static boolean wraps(String url, String engine) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith("jdbc:bulwark:" + engine + ":");
    }
}
