package dev.bulwark.core.internal;

import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.BulwarkProperty;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads {@code bulwark.*} keys and {@code BULWARK_*} environment variables into {@link PropertyValues}.
 * Keys outside Bulwark's namespace are ignored; an unknown key inside it is an error that suggests the
 * nearest declared key. The namespace is matched in any letter case ({@code Bulwark.retry.maxAttempts} is
 * Bulwark's, and refused as unknown), so a miscased key is never silently skipped. Reserved and ignored:
 * {@code bulwark.test.*} / {@code BULWARK_TEST_*} for the test kit, {@code bulwark.cli.*} /
 * {@code BULWARK_CLI_*} for the command line's own settings (its passwords, its log level), and
 * {@code bulwark.enabled} / {@code BULWARK_ENABLED} with {@code bulwark.spring.*} / {@code BULWARK_SPRING_*}
 * for the Spring Boot starter's own switches.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigLoader {

    private static final String PREFIX = "bulwark.";
    private static final String ENV_PREFIX = "BULWARK_";
    private static final List<String> RESERVED = List.of("test.", "cli.", "spring.");
    private static final List<String> RESERVED_ENV = List.of("TEST_", "CLI_", "SPRING_");
    /** Whole keys reserved after the prefix: the Spring Boot starter's on/off switch. */
    private static final String RESERVED_KEY = "enabled";

    private ConfigLoader() {
    }

    /**
     * Applies every {@code bulwark.*} entry of {@code entries} to {@code target}.
     *
     * @throws IllegalArgumentException naming the source, key and value if a key is unknown or a value invalid
     */
    public static void applyKeys(PropertyValues target, Map<String, String> entries, String source) {
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            String key = entry.getKey();
            if (!inNamespace(key, PREFIX, RESERVED)) {
                continue;
            }
            BulwarkProperty<?> property = BulwarkProperty.forKey(key)
                    .orElseThrow(() -> unknownKey(key, source));
            apply(target, property, entry.getValue(), source);
        }
    }

    /**
     * Applies every {@code BULWARK_*} variable of {@code environment} to {@code target}.
     *
     * @throws IllegalArgumentException naming the variable and value if a name is unknown or a value invalid
     */
    public static void applyEnvironment(PropertyValues target, Map<String, String> environment) {
        for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
            String name = entry.getKey();
            if (!inNamespace(name, ENV_PREFIX, RESERVED_ENV)) {
                continue;
            }
            BulwarkProperty<?> property = BulwarkProperties.all().stream()
                    .filter(p -> p.environmentVariable().equals(name)).findFirst()
                    .orElseThrow(() -> unknown(name, "the environment", BulwarkProperty::environmentVariable));
            apply(target, property, entry.getValue(), "environment variable " + name);
        }
    }

    /** Whether {@code key} starts with {@code prefix} (any case) and not with a reserved part after it. */
    private static boolean inNamespace(String key, String prefix, List<String> reserved) {
        if (!key.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        if (key.length() == prefix.length() + RESERVED_KEY.length()
                && key.regionMatches(true, prefix.length(), RESERVED_KEY, 0, RESERVED_KEY.length())) {
            return false;
        }
        for (String part : reserved) {
            if (key.regionMatches(true, prefix.length(), part, 0, part.length())) {
                return false;
            }
        }
        return true;
    }

    private static void apply(PropertyValues target, BulwarkProperty<?> property, String value, String source) {
        Objects.requireNonNull(value, property.key());
        try {
            target.setText(property, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " from " + source, e);
        }
    }

    /** The error for an unknown {@code bulwark.*} key, suggesting the nearest declared key. */
    public static IllegalArgumentException unknownKey(String key, String source) {
        return unknown(key, source, BulwarkProperty::key);
    }

    private static IllegalArgumentException unknown(String name, String source,
                                                    Function<BulwarkProperty<?>, String> naming) {
        String nearest = BulwarkProperties.all().stream().map(naming)
                .min(Comparator.comparingInt((String candidate) -> PropertyText.distance(name, candidate))
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
        return new IllegalArgumentException("Unknown Bulwark property " + name + " in " + source
                + "; did you mean " + nearest + "?");
    }
}
