package dev.bulwark.core;

import dev.bulwark.core.internal.ConfigurationDoc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationDocTest {

    private static final Path DOC = Path.of("../docs/configuration.md");

    @Test
    void configurationDocMatchesThePropertyDeclarations() throws IOException {
        String expected = ConfigurationDoc.render();
        assertThat(DOC).as("docs/configuration.md is missing; create it with: %s", ConfigurationDoc.REGENERATE)
                .exists();
        String actual = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(actual)
                .as("docs/configuration.md differs from BulwarkProperties; regenerate it with: %s",
                        ConfigurationDoc.REGENERATE)
                .isEqualTo(expected);
    }

    @Test
    void everyPropertyIsDocumentedWithItsDefault() {
        String doc = ConfigurationDoc.render();
        for (BulwarkProperty<?> property : BulwarkProperties.all()) {
            assertThat(doc).contains("`" + property.key() + "`", "`" + property.environmentVariable() + "`");
        }
        assertThat(doc).contains("| `bulwark.retry.budgetRatio` | `BULWARK_RETRY_BUDGET_RATIO` | Double | `0.2` |");
    }
}
