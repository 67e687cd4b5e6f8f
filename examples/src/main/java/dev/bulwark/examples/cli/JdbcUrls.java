package dev.bulwark.examples.cli;

import java.util.regex.Pattern;

/**
 * JDBC URLs as the command line shows them: with the user info and any password parameter masked.
 *
 * <p>Stateless and thread-safe.
 */
public final class JdbcUrls {

    /** Greedy up to the last {@code @} of the authority, so a password containing {@code @} is masked whole. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/?;]*@");
    /** A SQL Server braced value (a doubled closing brace inside is a literal one) or anything up to a separator. */
    private static final Pattern PASSWORD = Pattern.compile(
            "(?i)(password|passwd|pwd|sslpassword|secret|token)=(?:\\{(?:[^}]|\\}\\})*+\\}?|[^&;]*)");
    /** Oracle's {@code jdbc:oracle:thin:scott/tiger@host...}. */
    private static final Pattern ORACLE_USER_PASSWORD = Pattern.compile("(?i)(oracle:[a-z0-9]+:)[^/@:]*/.*@");

    private JdbcUrls() {
    }

    /**
     * {@code url} with {@code user:password@}, Oracle's {@code user/password@} and {@code password=...} parameters (a SQL
     * Server braced value whole) replaced by {@code ***}.
     *
     * @throws NullPointerException if url is null
     */
    public static String mask(String url) {
        String masked = PASSWORD.matcher(url).replaceAll("$1=***");
        masked = USER_INFO.matcher(masked).replaceAll("//***@");
        return ORACLE_USER_PASSWORD.matcher(masked).replaceAll("$1***@");
    }
}
