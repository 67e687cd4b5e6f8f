package dev.bulwark.core.internal;

import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.BulwarkProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The explicitly set values of Bulwark properties; unset properties read as their defaults. Every value
 * is validated by its {@link BulwarkProperty} on the way in.
 *
 * <p>Not thread-safe: builders own one each and configs keep an unmodified copy.
 */
public final class PropertyValues {

    private final Map<BulwarkProperty<?>, Object> values;

    public PropertyValues() {
        this.values = new LinkedHashMap<>();
    }

    private PropertyValues(Map<BulwarkProperty<?>, Object> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** The value of {@code property}, or its default. */
    public <T> T get(BulwarkProperty<T> property) {
        Object value = values.get(property);
        return value == null ? property.defaultValue() : property.type().cast(value);
    }

    /**
     * Sets {@code property} to {@code value}.
     *
     * @throws IllegalArgumentException naming the property and value if the value is invalid
     */
    public <T> PropertyValues set(BulwarkProperty<T> property, T value) {
        values.put(property, property.check(value));
        return this;
    }

    /**
     * Sets {@code property} from its text form.
     *
     * @throws IllegalArgumentException naming the property and value if the text is invalid
     */
    public PropertyValues setText(BulwarkProperty<?> property, String text) {
        values.put(property, property.parse(Objects.requireNonNull(text, property.key())));
        return this;
    }

    /** Replaces every value under {@code keyPrefix} with the explicitly set values of {@code other}. */
    public PropertyValues setAll(PropertyValues other, String keyPrefix) {
        values.keySet().removeIf(property -> property.key().startsWith(keyPrefix));
        other.values.forEach((property, value) -> {
            if (property.key().startsWith(keyPrefix)) {
                values.put(property, value);
            }
        });
        return this;
    }

    /** An independent copy. */
    public PropertyValues copy() {
        return new PropertyValues(values);
    }

    /** {@code key=value} for every declared property whose key starts with {@code keyPrefix}; secrets masked. */
    public String describe(String keyPrefix) {
        StringBuilder text = new StringBuilder("{");
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            if (property.key().startsWith(keyPrefix)) {
                if (text.length() > 1) {
                    text.append(", ");
                }
                text.append(property.key()).append('=').append(property.display(get(property)));
            }
        }
        return text.append('}').toString();
    }

    /** Whether both hold the same value (explicit or default) for every property under {@code keyPrefix}. */
    public boolean sameAs(PropertyValues other, String keyPrefix) {
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            if (property.key().startsWith(keyPrefix) && !get(property).equals(other.get(property))) {
                return false;
            }
        }
        return true;
    }

    /** A hash consistent with {@link #sameAs} for the same prefix. */
    public int hash(String keyPrefix) {
        int hash = 1;
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            if (property.key().startsWith(keyPrefix)) {
                hash = 31 * hash + get(property).hashCode();
            }
        }
        return hash;
    }
}
