package dev.bulwark.spring.internal;

import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.BulwarkProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code META-INF/spring-configuration-metadata.json} (what IDEs complete and document) from the
 * core's declarations and the starter's own switches. The file is committed; {@code ConfigurationMetadataTest}
 * fails when it differs from this rendering.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigurationMetadata {

    /** The command that rewrites the committed file. */
    public static final String REGENERATE = "./mvnw -q -ntp -pl spring-boot -am compile -Dmaven.test.skip && java -cp "
            + "\"spring-boot/target/classes:core/target/classes\" dev.bulwark.spring.internal.ConfigurationMetadata "
            + "spring-boot/src/main/resources/META-INF/spring-configuration-metadata.json";

    private static final String STARTER = "dev.bulwark.spring.BulwarkSpringProperties";

    private record Entry(String name, String type, String description, String sourceType, String defaultJson) {
    }

    private ConfigurationMetadata() {
    }

    /** Writes the file to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigurationMetadata <path of spring-configuration-metadata.json>");
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    /** The whole file. */
    public static String render() {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("bulwark.enabled", "java.lang.Boolean",
                "Whether the starter wraps DataSource beans and adds Bulwark's health, meters and transactions.",
                STARTER, "true"));
        entries.add(new Entry("bulwark.spring.exclude-beans", "java.util.List<java.lang.String>",
                "Names of DataSource beans that are left unwrapped.", STARTER + "$Spring", null));
        entries.add(new Entry("bulwark.spring.wrap-routing-data-sources", "java.lang.Boolean",
                "Whether AbstractRoutingDataSource beans are wrapped too (off: wrap the data sources they route to).",
                STARTER + "$Spring", "false"));
        for (BulwarkProperty<?> p : BulwarkProperties.all()) {
            entries.add(new Entry(springKey(p), type(p),
                    p.description() + " Accepted: " + p.constraint() + ". Environment variable: "
                            + p.environmentVariable() + ".", "dev.bulwark.core.BulwarkConfig", defaultJson(p)));
        }
        StringBuilder out = new StringBuilder("{\n  \"groups\": [\n");
        out.append("    {\"name\": \"bulwark\", \"type\": \"").append(STARTER).append("\", \"sourceType\": \"")
                .append(STARTER).append("\", \"description\": ")
                .append(string("Bulwark: fault tolerance for the application's DataSources (docs/configuration.md)."))
                .append("}\n  ],\n  \"properties\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            out.append("    {\"name\": ").append(string(e.name())).append(", \"type\": ").append(string(e.type()))
                    .append(", \"sourceType\": ").append(string(e.sourceType()));
            if (e.defaultJson() != null) {
                out.append(", \"defaultValue\": ").append(e.defaultJson());
            }
            out.append(",\n     \"description\": ").append(string(e.description())).append('}')
                    .append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        return out.append("  ]\n}\n").toString();
    }

    /** The canonical Spring name of a core key: {@code bulwark.retry.maxAttempts} is {@code bulwark.retry.max-attempts}. */
    static String springKey(BulwarkProperty<?> property) {
        return property.key().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String type(BulwarkProperty<?> p) {
        // CommitResolution is a closed set of words: offered as text, checked by the core
        return p.type().getName().startsWith("java.") ? p.type().getName() : "java.lang.String";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String defaultJson(BulwarkProperty p) {
        String text = p.format(p.defaultValue());
        Class<?> type = p.type();
        return type == Integer.class || type == Double.class || type == Boolean.class ? text : string(text);
    }

    private static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
