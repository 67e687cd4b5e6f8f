package dev.bulwark.jdbc.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks passwords and URL credentials before anything reaches a log line, an exception message or a tool.
 *
 * <p>Forms covered: {@code password=} and its kin as URL or semicolon parameters, including a SQL Server
 * braced value ({@code password={a;b}}); {@code //user:password@host} with a password that itself contains
 * {@code @}; Oracle's {@code user/password@host}. Stateless and thread-safe.
 */
public final class Credentials {

    private static final String MASK = "***";
    private static final String SECRET_NAME = "(?:password|passwd|pwd|sslpassword|secret|token)";
    /** A braced value (a doubled closing brace inside is a literal one) or anything up to the next separator. */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)(" + SECRET_NAME + "=)(?:\\{(?:[^}]|\\}\\})*+\\}?|[^&;]*)");
    /** Greedy up to the last {@code @} of the authority, so a password containing {@code @} is masked whole. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:?;]+):[^/?;]*@");
    /** Oracle: {@code jdbc:oracle:thin:scott/tiger@//host/service} or {@code ...:scott/tiger@host:1521:sid}. */
    private static final Pattern ORACLE_USER_PASSWORD = Pattern.compile("(?i)(oracle:[a-z0-9]+:)([^/@:]*)/.*@");
    private static final Pattern SECRET_PROPERTY = Pattern.compile("(?i).*" + SECRET_NAME + ".*");

    private Credentials() {
    }

    /** The URL with password-like parameters, {@code user:password@} and {@code user/password@} masked. */
    public static String maskUrl(String url) {
        if (url == null) {
            return "null";
        }
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + MASK);
        masked = USER_INFO.matcher(masked).replaceAll("//$1:" + MASK + "@");
        return ORACLE_USER_PASSWORD.matcher(masked).replaceAll("$1$2/" + MASK + "@");
    }

    /** Whether a connection property of this name holds a secret ({@code password}, {@code sslpassword}, ...). */
    public static boolean isSecretProperty(String name) {
        return name != null && SECRET_PROPERTY.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }
}
