package dev.bulwark.examples.cli;

import java.util.regex.Pattern;

/**
 * JDBC URLs as the command line shows them: with the user info and any password parameter masked.
 *
 * <p>Stateless and thread-safe.
 */
public final class JdbcUrls {

    private static final Pattern USER_INFO = Pattern.compile("//[^/@?;]*@");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd|sslpassword)=[^&;]*");

    private JdbcUrls() {
    }

    /**
     * {@code url} with {@code user:password@} and {@code password=...} parameters replaced by {@code ***}.
     *
     * @throws NullPointerException if url is null
     */
    public static String mask(String url) {
        String masked = USER_INFO.matcher(url).replaceAll("//***@");
        return PASSWORD.matcher(masked).replaceAll("$1=***");
    }
}
