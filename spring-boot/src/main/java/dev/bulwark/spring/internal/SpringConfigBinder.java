package dev.bulwark.spring.internal;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.BulwarkProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Builds a {@link BulwarkConfig} from Spring's {@link Environment}, driven by {@link BulwarkProperties#all()}:
 * no key is listed here, so a property the core declares is bound the day it is declared.
 *
 * <p>Each key is read under its relaxed Spring name ({@code bulwark.retry.max-attempts}, which also matches
 * {@code bulwark.retry.maxAttempts} in a properties file and {@code BULWARK_RETRY_MAXATTEMPTS} in the
 * environment); the core's environment variable ({@code BULWARK_RETRY_MAX_ATTEMPTS}), when set, wins, as it
 * does everywhere else in Bulwark. Values go through the core's parser and validation, so a bad value fails
 * with the core's message plus where Spring found it. A {@code bulwark.*} key that no declaration or starter
 * switch knows is an error suggesting the nearest key (environment variables excepted: the environment is
 * shared with other programs).
 *
 * <p>Stateless and thread-safe.
 */
public final class SpringConfigBinder {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("bulwark");
    /** The starter's own switches and the namespaces the core reserves. */
    private static final ConfigurationPropertyName ENABLED = ConfigurationPropertyName.of("bulwark.enabled");
    private static final List<ConfigurationPropertyName> RESERVED = List.of(
            ConfigurationPropertyName.of("bulwark.spring"), ConfigurationPropertyName.of("bulwark.test"),
            ConfigurationPropertyName.of("bulwark.cli"));

    private SpringConfigBinder() {
    }

    /**
     * The configuration the environment describes.
     *
     * @throws InvalidBulwarkPropertyException naming the key, the value and where Spring found it, if a value is invalid
     *                                  or a {@code bulwark.*} key is unknown
     */
    public static BulwarkConfig bind(Environment environment) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        refuseUnknownKeys(sources);
        Binder binder = Binder.get(environment); // resolves ${...} placeholders, as @ConfigurationProperties does
        BulwarkConfig.Builder config = BulwarkConfig.builder();
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            String variable = property.environmentVariable();
            String fromVariable = environment.getProperty(variable);
            if (fromVariable != null) {
                apply(config, property, fromVariable, "environment variable " + variable);
                continue;
            }
            ConfigurationPropertyName name = springName(property);
            BindResult<String> value = binder.bind(name, Bindable.of(String.class));
            if (value.isBound()) {
                apply(config, property, value.get(), origin(sources, name));
            }
        }
        return config.build();
    }

    /** The canonical Spring name of a core key: {@code bulwark.retry.maxAttempts} is {@code bulwark.retry.max-attempts}. */
    public static String springKey(BulwarkProperty<?> property) {
        return ConfigurationMetadata.springKey(property);
    }

    private static ConfigurationPropertyName springName(BulwarkProperty<?> property) {
        return ConfigurationPropertyName.of(springKey(property));
    }

    private static void apply(BulwarkConfig.Builder config, BulwarkProperty<?> property, String value, String origin) {
        try {
            config.withText(property.key(), value);
        } catch (IllegalArgumentException e) {
            // the core's message, completed with where Spring found the value (one message, no cause to read)
            throw new InvalidBulwarkPropertyException(e.getMessage() + " from " + origin);
        }
    }

    private static String origin(Iterable<ConfigurationPropertySource> sources, ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return "Spring property " + name + (property.getOrigin() != null ? " (" + property.getOrigin() + ")" : "");
            }
        }
        return "Spring property " + name;
    }

    private static void refuseUnknownKeys(Iterable<ConfigurationPropertySource> sources) {
        List<ConfigurationPropertyName> known = new ArrayList<>();
        BulwarkProperties.all().forEach(p -> known.add(springName(p)));
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            iterable.stream().filter(ROOT::isAncestorOf).filter(name -> !isKnown(name, known)).findFirst()
                    .ifPresent(name -> {
                        ConfigurationProperty property = source.getConfigurationProperty(name);
                        String where = property != null && property.getOrigin() != null
                                ? String.valueOf(property.getOrigin()) : String.valueOf(source.getUnderlyingSource());
                        throw new InvalidBulwarkPropertyException("Unknown Bulwark property " + name + " in " + where
                                + "; did you mean " + nearest(name.toString(), known) + "?");
                    });
        }
    }

    private static boolean isKnown(ConfigurationPropertyName name, List<ConfigurationPropertyName> known) {
        if (name.equals(ENABLED) || known.contains(name)) {
            return true;
        }
        return RESERVED.stream().anyMatch(r -> r.equals(name) || r.isAncestorOf(name));
    }

    private static String nearest(String name, List<ConfigurationPropertyName> known) {
        return known.stream().map(ConfigurationPropertyName::toString)
                .min(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
