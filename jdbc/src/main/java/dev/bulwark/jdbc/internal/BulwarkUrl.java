package dev.bulwark.jdbc.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code jdbc:bulwark:<target URL>} split into the target driver's URL and properties, with every
 * {@code bulwark.*} setting taken out of both, so the real driver never sees them.
 *
 * <p>Settings may appear in the URL query ({@code ?a=b&bulwark.retry.maxAttempts=5}), in
 * semicolon-separated URL parameters ({@code jdbc:h2:mem:x;bulwark.retry.maxAttempts=5}) or in the
 * connection Properties; Properties win over the URL. Values in the URL are percent-decoded.
 *
 * @param targetUrl        the URL for the real driver
 * @param targetProperties the Properties for the real driver (a copy; {@code bulwark.*} removed)
 * @param settings         the {@code bulwark.*} settings, in order of appearance
 */
public record BulwarkUrl(String targetUrl, Properties targetProperties, Map<String, String> settings) {

    /** The prefix this driver accepts. */
    public static final String PREFIX = "jdbc:bulwark:";
    private static final String SETTING = "bulwark.";

    /** Whether {@code url} is for this driver. */
    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Splits a Bulwark URL.
     *
     * @throws SQLException with SQLState 08001 if the URL is not {@code jdbc:bulwark:jdbc-url-without-jdbc:}
     *                      or names a malformed setting; the message masks credentials
     */
    public static BulwarkUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a Bulwark URL (must start with " + PREFIX + "): " + Credentials.maskUrl(url),
                    "08001");
        }
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty() || rest.startsWith("jdbc:") || rest.indexOf(':') <= 0) {
            throw new SQLException("a Bulwark URL wraps another driver's URL without its own 'jdbc:' prefix, "
                    + "like jdbc:bulwark:postgresql://host/db; got " + Credentials.maskUrl(url), "08001");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        String target = "jdbc:" + stripQuerySettings(rest, settings, url);
        Properties props = new Properties();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                String value = info.getProperty(key);
                if (key.startsWith(SETTING)) {
                    settings.put(key, value);
                } else {
                    props.setProperty(key, value);
                }
            }
        }
        return new BulwarkUrl(target, props, Map.copyOf(settings));
    }

    private static String stripQuerySettings(String rest, Map<String, String> settings, String original)
            throws SQLException {
        int q = rest.indexOf('?');
        String head = q < 0 ? rest : rest.substring(0, q);
        // Semicolon parameters (H2, SQL Server style) live in the head.
        head = strip(head, ';', true, settings, original);
        if (q < 0) {
            return head;
        }
        String query = strip(rest.substring(q + 1), '&', false, settings, original);
        return query.isEmpty() ? head : head + "?" + query;
    }

    private static String strip(String part, char separator, boolean keepFirst, Map<String, String> settings,
                                String original) throws SQLException {
        String[] pieces = part.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if ((keepFirst && i == 0) || !piece.startsWith(SETTING)) {
                if (!piece.isEmpty() || (keepFirst && i == 0)) {
                    kept.add(piece);
                }
                continue;
            }
            int eq = piece.indexOf('=');
            if (eq < 0) {
                throw new SQLException("Bulwark setting without a value in URL: '" + piece + "' in "
                        + Credentials.maskUrl(original), "08001");
            }
            settings.put(piece.substring(0, eq), URLDecoder.decode(piece.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return String.join(String.valueOf(separator), kept);
    }

    /** The target URL with credentials masked, for logs and messages. */
    public String maskedTargetUrl() {
        return Credentials.maskUrl(targetUrl);
    }

    @Override
    public String toString() {
        return "BulwarkUrl[" + maskedTargetUrl() + ", settings=" + settings.keySet() + "]";
    }
}
