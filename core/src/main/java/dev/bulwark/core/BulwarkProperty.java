package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyText;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration property, declared once with its key, type, default, description and validation;
 * builders, loaders ({@code bulwark.*} keys, {@code BULWARK_*} environment variables) and
 * {@code docs/configuration.md} are all driven from these declarations.
 *
 * <p>Immutable and thread-safe. The declarations themselves live in {@link BulwarkProperties}.
 *
 * @param <T> the value type
 */
public final class BulwarkProperty<T> {

    private static final String MASK = "****";

    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final String description;
    private final String constraint;
    private final Predicate<T> valid;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final boolean secret;

    BulwarkProperty(String key, Class<T> type, T defaultValue, String description, String constraint,
                    Predicate<T> valid, Function<String, T> parser, Function<T, String> formatter, boolean secret) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.description = Objects.requireNonNull(description, "description");
        this.constraint = Objects.requireNonNull(constraint, "constraint");
        this.valid = Objects.requireNonNull(valid, "valid");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        this.secret = secret;
        if (!valid.test(defaultValue)) {
            throw new IllegalStateException("default of " + key + " violates " + constraint);
        }
    }

    static BulwarkProperty<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return new BulwarkProperty<>(key, Integer.class, defaultValue, description, min + ".." + max,
                v -> v >= min && v <= max, PropertyText::parseInt, String::valueOf, false);
    }

    static BulwarkProperty<Double> decimal(String key, double defaultValue, double min, boolean minInclusive,
                                           double max, String description) {
        String range = (minInclusive ? "[" : "(") + PropertyText.formatDouble(min) + ", "
                + PropertyText.formatDouble(max) + "]";
        return new BulwarkProperty<>(key, Double.class, defaultValue, description, range,
                v -> (minInclusive ? v >= min : v > min) && v <= max, PropertyText::parseDouble,
                PropertyText::formatDouble, false);
    }

    static BulwarkProperty<Duration> duration(String key, Duration defaultValue, Duration min, Duration max,
                                              String description) {
        return new BulwarkProperty<>(key, Duration.class, defaultValue, description,
                PropertyText.formatDuration(min) + ".." + PropertyText.formatDuration(max),
                v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0, PropertyText::parseDuration,
                PropertyText::formatDuration, false);
    }

    static BulwarkProperty<Boolean> bool(String key, boolean defaultValue, String description) {
        return new BulwarkProperty<>(key, Boolean.class, defaultValue, description, "true|false",
                v -> true, PropertyText::parseBoolean, String::valueOf, false);
    }

    static BulwarkProperty<String> text(String key, String defaultValue, String pattern, String description) {
        return new BulwarkProperty<>(key, String.class, defaultValue, description, "matches " + pattern,
                v -> v.matches(pattern), Function.identity(), Function.identity(), false);
    }

    static BulwarkProperty<CommitResolution> commitResolution(String key, CommitResolution defaultValue,
                                                              String description) {
        return new BulwarkProperty<>(key, CommitResolution.class, defaultValue, description,
                CommitResolution.allTexts(), v -> true, CommitResolution::fromText, CommitResolution::text, false);
    }

    /** The same declaration marked secret: its value is masked in {@code toString()} and in errors. */
    BulwarkProperty<T> asSecret() {
        return new BulwarkProperty<>(key, type, defaultValue, description, constraint, valid, parser, formatter, true);
    }

    /** The key, such as {@code bulwark.retry.maxAttempts}. */
    public String key() {
        return key;
    }

    /** The environment variable, such as {@code BULWARK_RETRY_MAX_ATTEMPTS}. */
    public String environmentVariable() {
        return environmentVariableOf(key);
    }

    static String environmentVariableOf(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The value type. */
    public Class<T> type() {
        return type;
    }

    /** The value used when none is given. */
    public T defaultValue() {
        return defaultValue;
    }

    /** One or two sentences for a person. */
    public String description() {
        return description;
    }

    /** The accepted values, such as {@code 1..100}. */
    public String constraint() {
        return constraint;
    }

    /** Whether the value must never be shown. */
    public boolean secret() {
        return secret;
    }

    /**
     * Parses {@code text}, taken exactly as written (surrounding blanks are refused, not trimmed), and
     * validates the result.
     *
     * @throws IllegalArgumentException naming the key and the value if the text is malformed or out of range
     * @throws NullPointerException if {@code text} is null
     */
    public T parse(String text) {
        T value;
        try {
            if (!text.equals(text.strip())) {
                throw new IllegalArgumentException("blanks around the value are not accepted");
            }
            value = parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for " + key + ": '" + shown(text) + "' ("
                    + e.getMessage() + ")");
        }
        return check(value);
    }

    /**
     * Returns {@code value} if it is valid.
     *
     * @throws IllegalArgumentException naming the key and the value if it is out of range
     * @throws NullPointerException if {@code value} is null
     */
    public T check(T value) {
        Objects.requireNonNull(value, key);
        if (!valid.test(value)) {
            throw new IllegalArgumentException("Invalid value for " + key + ": " + shown(format(value))
                    + " (expected " + constraint + ")");
        }
        return value;
    }

    /** The value as it would be written in a properties file. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /**
     * The value for logs and {@code toString()}: masked if secret.
     *
     * @throws ClassCastException if {@code value} is not of this property's type
     */
    public String display(Object value) {
        return secret ? MASK : format(type.cast(value));
    }

    private String shown(String text) {
        return secret ? MASK : text;
    }

    /** The property declared with {@code key}, if any. */
    public static Optional<BulwarkProperty<?>> forKey(String key) {
        return BulwarkProperties.all().stream().filter(p -> p.key.equals(key)).findFirst();
    }

    @Override
    public String toString() {
        return key;
    }
}
