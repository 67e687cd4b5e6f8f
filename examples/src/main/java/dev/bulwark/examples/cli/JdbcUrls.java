package dev.bulwark.examples.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JDBC URLs as the command line shows them: with the user info and any password parameter masked.
 *
 * <p>Stateless and thread-safe.
 */
public final class JdbcUrls {

    /** Greedy up to the last {@code @} of the authority, so a password containing {@code @} is masked whole. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/?;]*@");
    /** {@code user:password@} whatever the password holds ({@code / ? ; @}): up to the last {@code @} before a blank. */
    private static final Pattern USER_PASSWORD = Pattern.compile("//[^/@:?;\\s]*:\\S*@");
    /** A parameter whose name holds a secret word ({@code password1}, {@code awsSecretAccessKey}, ...), with its {@code =}. */
    private static final Pattern PASSWORD = Pattern.compile(
            "(?i)[\\w.-]*(?:password|passwd|pwd|passphrase|secret|token)[\\w.-]*=");
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
        String masked = maskParameters(url);
        masked = USER_PASSWORD.matcher(masked).replaceAll("//***@");
        masked = USER_INFO.matcher(masked).replaceAll("//***@");
        return ORACLE_USER_PASSWORD.matcher(masked).replaceAll("$1***@");
    }

    /**
     * Each secret parameter's value masked: a SQL Server braced value (a doubled closing brace is a literal one)
     * whole, else up to the next {@code &} in a query ({@code ;} may be part of the password) and up to the next
     * {@code ;} in semicolon parameters ({@code &} may be part of it).
     */
    private static String maskParameters(String url) {
        Matcher name = PASSWORD.matcher(url);
        StringBuilder out = new StringBuilder(url.length());
        int from = 0;
        while (from < url.length() && name.find(from)) {
            int start = name.end();
            int end;
            if (start < url.length() && url.charAt(start) == '{') {
                end = url.length();
                for (int i = start + 1; i < url.length(); i++) {
                    if (url.charAt(i) == '}') {
                        if (i + 1 < url.length() && url.charAt(i + 1) == '}') {
                            i++;
                        } else {
                            end = i + 1;
                            break;
                        }
                    }
                }
            } else {
                int q = url.lastIndexOf('?', name.start());
                end = url.indexOf(q >= 0 ? '&' : ';', start);
                end = end < 0 ? url.length() : end;
            }
            out.append(url, from, start).append("***");
            from = end;
        }
        return out.append(url, from, url.length()).toString();
    }
}
