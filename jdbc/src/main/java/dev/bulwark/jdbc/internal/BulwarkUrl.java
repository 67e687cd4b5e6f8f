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
 * connection Properties; Properties win over the URL. Values in the URL are percent-decoded. A key that
 * starts with {@code bulwark.} in any letter case is a setting (and, unless spelt exactly, an unknown one that
 * the configuration loader refuses), never passed on. Other connection Properties, non-String ones included,
 * go to the real driver as given.
 *
 * @param targetUrl          the URL for the real driver
 * @param targetProperties   the Properties for the real driver (a copy; {@code bulwark.*} removed)
 * @param urlSettings        the {@code bulwark.*} settings of the URL, in order of appearance
 * @param propertySettings   the {@code bulwark.*} settings of the connection Properties
 */
public record BulwarkUrl(String targetUrl, Properties targetProperties, Map<String, String> urlSettings,
                         Map<String, String> propertySettings) {

    /** The prefix this driver accepts. */
    public static final String PREFIX = "jdbc:bulwark:";
    private static final String SETTING = "bulwark.";

    /** Whether {@code url} is for this driver. */
    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Whether {@code key} is in Bulwark's namespace: {@code bulwark.} in any letter case. */
    public static boolean isSetting(String key) {
        return key.regionMatches(true, 0, SETTING, 0, SETTING.length());
    }

    /**
     * Splits a Bulwark URL.
     *
     * @throws SQLException with SQLState 08001 if the URL is not {@code jdbc:bulwark:jdbc-url-without-jdbc:},
     *                      wraps another Bulwark URL, or names a malformed setting (no value, bad percent
     *                      encoding, a non-String value in the Properties); the message masks credentials
     */
    public static BulwarkUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a Bulwark URL (must start with " + PREFIX + "): " + Credentials.maskUrl(url),
                    "08001");
        }
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty() || rest.regionMatches(true, 0, "jdbc:", 0, 5) || rest.indexOf(':') <= 0) {
            throw new SQLException("a Bulwark URL wraps another driver's URL without its own 'jdbc:' prefix, "
                    + "like jdbc:bulwark:postgresql://host/db; got " + Credentials.maskUrl(url), "08001");
        }
        if (accepts("jdbc:" + rest)) {
            throw new SQLException("a Bulwark URL cannot wrap another Bulwark URL (one layer gives all the "
                    + "protection); got " + Credentials.maskUrl(url), "08001");
        }
        Map<String, String> urlSettings = new LinkedHashMap<>();
        String target = "jdbc:" + stripQuerySettings(rest, urlSettings, url);
        Map<String, String> propertySettings = new LinkedHashMap<>();
        Properties props = new Properties();
        if (info != null) {
            for (String key : info.stringPropertyNames()) { // defaults included
                String value = info.getProperty(key);
                if (isSetting(key)) {
                    propertySettings.put(key, value);
                } else {
                    props.setProperty(key, value);
                }
            }
            for (Map.Entry<Object, Object> entry : info.entrySet()) {
                if (entry.getKey() instanceof String key && entry.getValue() instanceof String) {
                    continue; // taken above
                }
                if (entry.getKey() instanceof String key && isSetting(key)) {
                    throw new SQLException("Bulwark setting " + key + " in the connection Properties has a value of "
                            + "type " + entry.getValue().getClass().getName() + "; settings are Strings, such as "
                            + "\"5\" or \"2s\"", "08001");
                }
                props.put(entry.getKey(), entry.getValue());
            }
            requireStringSettingsInDefaults(info);
        }
        return new BulwarkUrl(target, props, Map.copyOf(urlSettings), Map.copyOf(propertySettings));
    }

    /**
     * A setting whose value in the Properties' defaults ({@code new Properties(defaults)}) is not a String: neither
     * {@code stringPropertyNames} nor {@code entrySet} shows it, so without this check it would be ignored silently.
     */
    private static void requireStringSettingsInDefaults(Properties info) throws SQLException {
        java.util.Set<String> strings = info.stringPropertyNames();
        java.util.Enumeration<?> names;
        try {
            names = info.propertyNames();
        } catch (ClassCastException e) {
            return; // a non-String key somewhere: not a setting, and passed on as given
        }
        while (names.hasMoreElements()) {
            String key = (String) names.nextElement();
            if (isSetting(key) && !strings.contains(key)) {
                throw new SQLException("Bulwark setting " + key + " in the connection Properties (their defaults) has "
                        + "a value that is not a String; settings are Strings, such as \"5\" or \"2s\"", "08001");
            }
        }
    }

    /** All settings: the URL's, overridden by the Properties'. */
    public Map<String, String> settings() {
        Map<String, String> all = new LinkedHashMap<>(urlSettings);
        all.putAll(propertySettings);
        return all;
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
            if ((keepFirst && i == 0) || !isSetting(piece)) {
                if (!piece.isEmpty() || (keepFirst && i == 0)) {
                    kept.add(piece);
                }
                continue;
            }
            int eq = piece.indexOf('=');
            if (eq < 0) {
                throw new SQLException("Bulwark setting without a value in the URL: '" + piece + "' in "
                        + Credentials.maskUrl(original), "08001");
            }
            String key = piece.substring(0, eq);
            try {
                settings.put(key, URLDecoder.decode(piece.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SQLException("Bulwark setting " + key + " in the URL is not valid percent-encoding ("
                        + e.getMessage() + ") in " + Credentials.maskUrl(original), "08001");
            }
        }
        return String.join(String.valueOf(separator), kept);
    }

    /** The target URL with credentials masked, for logs and messages. */
    public String maskedTargetUrl() {
        return Credentials.maskUrl(targetUrl);
    }

    @Override
    public String toString() {
        return "BulwarkUrl[" + maskedTargetUrl() + ", settings=" + settings().keySet() + "]";
    }
}
