package dev.bulwark.jdbc.internal;

import java.util.regex.Pattern;

/** Masks passwords and URL credentials before anything reaches a log line or an exception message. */
public final class Credentials {

    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword|secret|token)=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:?;]+):[^/@?;]*@");

    private Credentials() {
    }

    /** The URL with password-like parameters and {@code user:password@} replaced by {@code ***}. */
    public static String maskUrl(String url) {
        if (url == null) {
            return "null";
        }
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }
}
