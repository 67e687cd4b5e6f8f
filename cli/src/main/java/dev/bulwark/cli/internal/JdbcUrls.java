package dev.bulwark.cli.internal;

import java.util.List;
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

    /** The URLs whose drivers the command line bundles: pgjdbc, MariaDB Connector/J (both schemes), sqlite-jdbc. */
    static final List<String> SUPPORTED = List.of("jdbc:postgresql:", "jdbc:mariadb:", "jdbc:mysql:", "jdbc:sqlite:");
    private static final String MYSQL = "jdbc:mysql:";

    private JdbcUrls() {
    }

    /**
     * Why the command line cannot connect to {@code url}, naming {@code label} and the URLs it supports, or
     * {@code null} when it can.
     *
     * @throws NullPointerException if url is null
     */
    public static String unsupported(String label, String url) {
        if (!url.startsWith("jdbc:")) {
            return label + " must start with jdbc:, was '" + mask(url) + "'";
        }
        for (String scheme : SUPPORTED) {
            if (url.startsWith(scheme)) {
                return null;
            }
        }
        return label + " '" + mask(url) + "' has no driver in the bulwark command: it connects to "
                + "jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: (through MariaDB Connector/J) and jdbc:sqlite: URLs";
    }

    /**
     * The URL to give the driver: a {@code jdbc:mysql:} URL becomes {@code jdbc:mariadb:}, because MariaDB Connector/J
     * (the MySQL and MariaDB driver bundled) refuses the {@code mysql} scheme unless told otherwise; every other URL
     * is returned as given. Only for connecting: messages show the URL the user gave.
     */
    public static String forDriver(String url) {
        return url.startsWith(MYSQL) ? "jdbc:mariadb:" + url.substring(MYSQL.length()) : url;
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
