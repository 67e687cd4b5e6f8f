package dev.bulwark.core.internal;

import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.BulwarkProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates {@code docs/configuration.md} from {@link BulwarkProperties}; {@code ConfigurationDocTest} fails
 * when the file and the declarations differ.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigurationDoc {

    /** The command that rewrites the file, run from the repository root. */
    public static final String REGENERATE = "./mvnw -q -ntp -pl core -am compile && "
            + "java -cp core/target/classes dev.bulwark.core.internal.ConfigurationDoc docs/configuration.md";

    private ConfigurationDoc() {
    }

    /** Writes the document to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigurationDoc <path of configuration.md>");
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    /** The whole document. */
    public static String render() {
        StringBuilder doc = new StringBuilder();
        doc.append("# Configuration\n\n")
                .append("<!-- Generated from dev.bulwark.core.BulwarkProperties; do not edit. Regenerate with:\n")
                .append("     ").append(REGENERATE).append(" -->\n\n")
                .append("Every property can be set as a `bulwark.*` key (Java `Properties`, JDBC URL query parameters,\n")
                .append("system properties) or as a `BULWARK_*` environment variable.\n\n")
                .append("Sources, lowest precedence first:\n\n")
                .append("- `BulwarkConfig.load(properties)`: defaults, the given properties, system properties,\n")
                .append("  environment variables. `BulwarkConfig.fromProperties`, `fromSystemProperties` and\n")
                .append("  `fromEnvironment` read one source each; `Bulwark.wrap(ds)` uses the defaults and\n")
                .append("  `Bulwark.wrap(ds, config)` exactly the config it is given.\n")
                .append("- the `jdbc:bulwark:` driver: defaults, the URL's settings, the connection `Properties`,\n")
                .append("  system properties, environment variables (the sources of `BulwarkConfig.load`), read once\n")
                .append("  when the driver first meets a target (see [jdbc.md](jdbc.md)).\n")
                .append("- the Spring Boot starter: the same keys from Spring's property sources (`application.yml`,\n")
                .append("  relaxed names such as `bulwark.retry.max-attempts`), the `BULWARK_*` variables above them;\n")
                .append("  bad values stop the application at start-up with these messages (see\n")
                .append("  [spring-boot.md](spring-boot.md)).\n\n")
                .append("The namespace is matched in any letter case: an unknown key in it (`bulwark.retry.maxAttempt`,\n")
                .append("or `Bulwark.retry.maxAttempts` in another case) is an error naming the source and the nearest\n")
                .append("known key, never skipped or passed on to a JDBC driver. Reserved and ignored: `bulwark.test.*`\n")
                .append("and `BULWARK_TEST_*` for the test kit; `bulwark.cli.*` and `BULWARK_CLI_*` for the command\n")
                .append("line's own settings (its passwords and log level, see [cli.md](cli.md)); `bulwark.enabled`,\n")
                .append("`bulwark.spring.*` and `BULWARK_ENABLED`, `BULWARK_SPRING_*` for the Spring Boot starter's own\n")
                .append("switches (see [spring-boot.md](spring-boot.md)).\n\n")
                .append("Values are taken exactly as written: blanks around a value are refused, not trimmed.\n")
                .append("Integers: ASCII digits `0`-`9` with an optional sign (digits of other scripts are refused).\n")
                .append("Durations: `500ms`, `2s`, `1m`, `1h`, `0`, or ISO-8601 such as `PT2S`. Booleans: exactly `true`\n")
                .append("or `false`. Values outside the accepted range are rejected, never adjusted. In a JDBC URL a\n")
                .append("value is percent-decoded as in an HTML form (`%20` and `+` read as a blank; write `%2B` for a\n")
                .append("plus sign); malformed percent-encoding is an error. In connection `Properties` a setting's value\n")
                .append("must be a `String`.\n");
        String group = null;
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            String key = property.key();
            String section = key.indexOf('.', 8) < 0 ? "general" : key.substring(8, key.indexOf('.', 8));
            if (!section.equals(group)) {
                group = section;
                doc.append("\n## ").append(section).append("\n\n")
                        .append("| Key | Environment variable | Type | Default | Accepted | Description |\n")
                        .append("|---|---|---|---|---|---|\n");
            }
            doc.append("| `").append(key).append("` | `").append(property.environmentVariable()).append("` | ")
                    .append(property.type().getSimpleName()).append(" | `")
                    .append(property.display(property.defaultValue())).append("` | ")
                    .append(property.constraint().replace("|", "\\|")).append(" | ")
                    .append(property.description().replace("|", "\\|"))
                    .append(property.secret() ? " (secret: masked in logs)" : "").append(" |\n");
        }
        return doc.toString();
    }
}
