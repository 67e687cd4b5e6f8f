package dev.bulwark.recovery.internal;

import java.util.regex.Pattern;

/** JDBC URLs with credentials masked, for manifests and messages. */
public final class MaskedUrl {

    private static final Pattern USER_INFO = Pattern.compile("//[^/@?;]*@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|sslpassword|sslkey|credentials?|access[_-]?key)[^=&;]*=)[^&;]*");

    private MaskedUrl() {
    }

    /** The URL with user-info and password-like parameters replaced by {@code ***}. */
    public static String of(String url) {
        if (url == null) {
            return "unknown";
        }
        String masked = USER_INFO.matcher(url).replaceAll("//***@");
        return SECRET_PARAMETER.matcher(masked).replaceAll("$1***");
    }
}
