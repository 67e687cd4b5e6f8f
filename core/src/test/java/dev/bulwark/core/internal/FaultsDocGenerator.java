package dev.bulwark.core.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.core.FaultKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regenerates the tables of {@code docs/faults.md} from the rule declarations. The prose around them is
 * written by hand; each table sits between {@code <!-- generated:NAME -->} and
 * {@code <!-- end:NAME -->} markers. {@code FaultsDocTest} fails when the file differs from what this
 * would write; run it with {@code -Dbulwark.docs.regenerate=true} to rewrite the file.
 */
public final class FaultsDocGenerator {

    private FaultsDocGenerator() {
    }

    /** Rewrites the file in place. */
    public static void main(String[] args) throws IOException {
        Path doc = args.length > 0 ? Path.of(args[0]) : locate(Path.of(System.getProperty("user.dir")));
        Files.writeString(doc, render(Files.readString(doc, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** {@code docs/faults.md}, found from {@code start} or one of its parents (the module or the project). */
    public static Path locate(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("faults.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/faults.md not found in " + start.toAbsolutePath() + " or its parents");
    }

    /** {@code doc} with every generated block replaced by what the code declares now. */
    public static String render(String doc) {
        String result = doc;
        for (Map.Entry<String, String> block : blocks().entrySet()) {
            String start = "<!-- generated:" + block.getKey() + " -->\n";
            String end = "<!-- end:" + block.getKey() + " -->";
            int from = result.indexOf(start);
            int to = result.indexOf(end);
            if (from < 0 || to < from) {
                throw new IllegalStateException("docs/faults.md lacks the markers " + start.trim() + " ... " + end);
            }
            result = result.substring(0, from + start.length()) + block.getValue() + result.substring(to);
        }
        return result;
    }

    private static Map<String, String> blocks() {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("taxonomy", taxonomy());
        for (Dialect dialect : Dialect.values()) {
            blocks.put(dialect.name(), table(RuleTable.of(dialect).rules()));
        }
        blocks.put("rejections", table(TypeRules.REJECTIONS));
        blocks.put("hints", table(TypeRules.HINTS));
        return blocks;
    }

    private static String taxonomy() {
        StringBuilder out = new StringBuilder();
        out.append("| kind | retry scope | counts toward breaker | evicts connection | may have taken effect"
                + " | what Bulwark does |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (FaultKind kind : FaultKind.values()) {
            out.append("| ").append(kind).append(" | ").append(KindTraits.retryScope(kind))
                    .append(" | ").append(yesNo(kind.countsTowardBreaker()))
                    .append(" | ").append(yesNo(kind.evictsConnection()))
                    .append(" | ").append(yesNo(KindTraits.mayHaveTakenEffect(kind)))
                    .append(" | ").append(escape(KindTraits.remedy(kind))).append(" |\n");
        }
        return out.toString();
    }

    private static String table(List<Rule> rules) {
        StringBuilder out = new StringBuilder("| evidence | kind | why |\n|---|---|---|\n");
        for (Rule rule : rules) {
            out.append("| ").append(escape(rule.match().describe())).append(" | ").append(rule.kind())
                    .append(" | ").append(escape(rule.why())).append(" |\n");
        }
        return out.toString();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
