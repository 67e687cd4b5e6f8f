package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code bulwark ...} command written in README.md, docs/cli.md and docs/operations.md (a {@code $ bulwark}
 * line in a code block, or an inline {@code `bulwark ...`}, headings' synopses included) parses against the real
 * command tree down to a runnable command: a renamed option or command fails this test, not a reader.
 * Placeholders ({@code <jdbc-url>}) are replaced by sample values; an unknown placeholder fails the test too.
 */
class CliDocsTest {

    private static final List<String> DOCS = List.of("README.md", "docs/cli.md", "docs/operations.md");
    private static final Pattern FENCE = Pattern.compile("^\\s*```");
    /**
     * A command in a code block: {@code $ bulwark ...}, or the launcher by its path ({@code cli/target/bulwark/bin/bulwark
     * ...}); not output such as {@code bulwark 0.1.0}.
     */
    private static final Pattern BLOCK_COMMAND = Pattern.compile("^(?:\\$ (?:\\S*/)?bulwark|\\S*/bulwark)( .*)?$");
    private static final Pattern INLINE_COMMAND = Pattern.compile("`(?:[^`\\s]*/)?bulwark ([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");
    private static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("<jdbc-url>", "jdbc:postgresql://127.0.0.1:5432/test"),
            Map.entry("<url>", "jdbc:postgresql://127.0.0.1:5432/test"),
            Map.entry("<source-url>", "jdbc:sqlite:/tmp/shop.db"),
            Map.entry("<target-url>", "jdbc:postgresql://127.0.0.1:5432/test"),
            Map.entry("<dir>", "/tmp/backup"), Map.entry("<backup-dir>", "/tmp/backup"),
            Map.entry("<new-dir>", "/tmp/backup-2"), Map.entry("<journal-dir>", "/tmp/journal"),
            Map.entry("<name>", "app"), Map.entry("<u>", "app"), Map.entry("<file>", "/tmp/backup.key"),
            Map.entry("<seconds>", "5"), Map.entry("<n>", "3"), Map.entry("<rows>", "500"), Map.entry("<id>", "nightly"),
            Map.entry("<d>", "postgresql"), Map.entry("<SQLState>", "40001"), Map.entry("<vendorCode>", "1213"),
            Map.entry("<time>", "15s"));

    @Test
    void everyCommandInTheDocsParsesAgainstTheRealCommands() throws IOException {
        List<String> commands = commands();
        assertThat(commands).as("commands found in " + DOCS).hasSizeGreaterThan(30);
        for (String command : commands) {
            List<String> args = arguments(command);
            ParseResult parsed;
            try {
                parsed = BulwarkCommand.commandLine(false).parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                fail("'bulwark " + command + "' does not parse: " + e.getMessage());
                return;
            }
            ParseResult leaf = parsed;
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
            }
            boolean info = leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested();
            assertThat(info || leaf.commandSpec().subcommands().isEmpty())
                    .as("'bulwark " + command + "' names a runnable command, not only a group").isTrue();
        }
    }

    /** The sample values stand for the placeholders the docs use, so a new placeholder is noticed here. */
    @Test
    void aPlaceholderWithoutASampleFailsTheExtraction() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> arguments("doctor <database>"))
                .hasMessageContaining("<database>");
    }

    private static List<String> commands() throws IOException {
        List<String> commands = new ArrayList<>();
        for (String doc : DOCS) {
            boolean inBlock = false;
            for (String line : Files.readAllLines(Path.of("..").resolve(doc))) {
                if (FENCE.matcher(line).find()) {
                    inBlock = !inBlock;
                    continue;
                }
                if (inBlock) {
                    Matcher m = BLOCK_COMMAND.matcher(line.strip());
                    if (m.matches() && m.group(1) != null && isCommand(m.group(1).strip())) {
                        commands.add(shellCommand(m.group(1).strip()));
                    }
                    continue;
                }
                Matcher m = INLINE_COMMAND.matcher(line);
                while (m.find()) {
                    if (isCommand(m.group(1).strip())) {
                        commands.add(shellCommand(m.group(1).strip()));
                    }
                }
            }
        }
        return commands;
    }

    /**
     * Whether the text after {@code bulwark } is a command, not output ({@code bulwark doctor: cannot connect ...})
     * or the generic {@code bulwark <command> <args>}.
     */
    private static boolean isCommand(String text) {
        return !text.split(" ")[0].endsWith(":") && !text.contains("<command>");
    }

    /** The command without what the shell does after it ({@code && next}, {@code | grep}, redirections). */
    private static String shellCommand(String text) {
        for (String end : List.of(" && ", " | ", " > ", " 2>")) {
            int at = text.indexOf(end);
            text = at < 0 ? text : text.substring(0, at);
        }
        return text;
    }

    /**
     * The arguments of a documented command: optional parts ({@code [--user <name>]}) given, alternatives
     * ({@code fail|skip}) reduced to the first, {@code [options]} dropped, placeholders replaced by samples.
     */
    static List<String> arguments(String command) {
        String text = command.replace("[options]", "").replace("[", "").replace("]", "");
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder replaced = new StringBuilder();
        while (m.find()) {
            String sample = SAMPLES.get(m.group());
            if (sample == null) {
                throw new IllegalArgumentException("no sample value for " + m.group() + " in 'bulwark " + command + "'");
            }
            m.appendReplacement(replaced, Matcher.quoteReplacement(sample));
        }
        m.appendTail(replaced);
        List<String> args = new ArrayList<>();
        for (String word : replaced.toString().strip().split("\\s+")) {
            if (word.isEmpty() || word.equals("...")) {
                continue;
            }
            word = word.contains("|") && !word.startsWith("-") ? word.substring(0, word.indexOf('|')) : word;
            args.add(word.replaceAll("^\"|\"$", ""));
        }
        return args;
    }
}
