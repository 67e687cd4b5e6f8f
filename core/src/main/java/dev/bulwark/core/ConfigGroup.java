package dev.bulwark.core;

import dev.bulwark.core.internal.PropertyValues;

/**
 * What every part of {@link BulwarkConfig} shares: the values of its {@code bulwark.<group>.*} properties,
 * and equality, hash and description derived from them. Immutable.
 */
abstract class ConfigGroup {

    private final String prefix;
    /** This group's values; never modified after construction. */
    final PropertyValues values;

    ConfigGroup(PropertyValues source, String prefix) {
        this.prefix = prefix;
        this.values = new PropertyValues().setAll(source, prefix);
    }

    PropertyValues values() {
        return values;
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && values.sameAs(((ConfigGroup) other).values, prefix);
    }

    @Override
    public final int hashCode() {
        return values.hash(prefix);
    }

    /** The class name and every property of the group; secrets masked. */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + values.describe(prefix);
    }
}
