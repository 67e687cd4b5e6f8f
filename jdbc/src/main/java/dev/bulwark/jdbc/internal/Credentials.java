package dev.bulwark.jdbc.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks passwords and URL credentials before anything reaches a log line, an exception message or a tool.
 *
 * <p>Forms covered: {@code password=} and its kin ({@code password1=}, {@code sslpassword=},
 * {@code awsSecretAccessKey=}, {@code privateKeyPassphrase=}: any parameter whose name contains a secret word, as
 * {@link #isSecretProperty} judges names) as URL or semicolon parameters, the value up to the next {@code &} in a
 * query ({@code ?...}) and up to the next {@code ;} otherwise, a SQL Server braced value ({@code password={a;b}})
 * whole; {@code //user:password@host} with a password containing {@code @}, {@code /}, {@code ?} or {@code ;}
 * (up to the last {@code @} before a blank, so {@code //host:5432/db?mail=a@b} is over-masked rather than a
 * password leaked); Oracle's {@code user/password@host}. Stateless and thread-safe.
 */
public final class Credentials {

    private static final String MASK = "***";
    private static final String SECRET_NAME = "(?:password|passwd|pwd|passphrase|secret|token)";
    /** A parameter name containing a secret word, with its {@code =}. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)[\\w.-]*" + SECRET_NAME + "[\\w.-]*=");
    /** Greedy up to the last {@code @} before a blank: the password may hold any of {@code @ / ? ;}. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:?;\\s]*):\\S*@");
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
        String masked = maskParameters(url);
        masked = USER_INFO.matcher(masked).replaceAll("//$1:" + MASK + "@");
        return ORACLE_USER_PASSWORD.matcher(masked).replaceAll("$1$2/" + MASK + "@");
    }

    private static String maskParameters(String text) {
        Matcher name = SECRET_PARAMETER.matcher(text);
        StringBuilder out = null;
        int from = 0;
        while (from < text.length() && name.find(from)) {
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            int valueStart = name.end();
            int valueEnd = valueEnd(text, valueStart, inQuery(text, name.start()) ? '&' : ';');
            out.append(text, from, valueStart).append(MASK);
            from = valueEnd;
        }
        return out == null ? text : out.append(text, from, text.length()).toString();
    }

    /** Whether the parameter at {@code at} follows a {@code ?} in the same blank-free run (a URL query). */
    private static boolean inQuery(String text, int at) {
        for (int i = at - 1; i >= 0 && !Character.isWhitespace(text.charAt(i)); i--) {
            if (text.charAt(i) == '?') {
                return true;
            }
        }
        return false;
    }

    /** The end of a value: a braced one (a doubled closing brace is a literal one) whole, else up to the separator. */
    private static int valueEnd(String text, int start, char separator) {
        int n = text.length();
        if (start < n && text.charAt(start) == '{') {
            for (int i = start + 1; i < n; i++) {
                if (text.charAt(i) == '}') {
                    if (i + 1 < n && text.charAt(i + 1) == '}') {
                        i++;
                    } else {
                        return i + 1;
                    }
                }
            }
            return n;
        }
        int end = text.indexOf(separator, start);
        return end < 0 ? n : end;
    }

    /** Whether a connection property of this name holds a secret ({@code password}, {@code sslpassword}, ...). */
    public static boolean isSecretProperty(String name) {
        return name != null && SECRET_PROPERTY.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }
}
