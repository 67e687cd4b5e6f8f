package dev.bulwark.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/faults.md shows exactly the rule tables the code declares. */
class FaultsDocTest {

    private static final String REGENERATE = "bulwark.docs.regenerate";
    private static final String COMMAND = "./mvnw -q -ntp -o test -pl core -am -Dtest=FaultsDocTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + REGENERATE + "=true";

    @Test
    void docsMatchTheRuleDeclarations() throws Exception {
        Path doc = FaultsDocGenerator.locate(Path.of(System.getProperty("basedir", System.getProperty("user.dir"))));
        String actual = Files.readString(doc, StandardCharsets.UTF_8);
        String expected = FaultsDocGenerator.render(actual);
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
            actual = expected;
        }
        assertThat(actual)
                .as("%s is out of date with the rule tables; regenerate it with:%n  %s", doc, COMMAND)
                .isEqualTo(expected);
    }
}
