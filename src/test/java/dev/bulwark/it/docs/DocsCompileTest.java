package dev.bulwark.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import com.sun.source.util.JavacTask;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fenced {@code java} block of README.md and docs/*.md compiles against the project's API (this module's
 * test class path), so a snippet cannot drift from the code. How blocks become classes, the
 * {@code <!-- java-context: ... -->} comments that declare the variables a fragment uses, and the imports added
 * to every block are described in docs/contributing.md and {@link DocSnippets}. A failure names the page and
 * line of each error.
 */
class DocsCompileTest {

    /**
     * Added to every block; a block's own imports (or its page's java-context imports) come after them and win.
     * On-demand imports only clash when a snippet uses a name two of them define; import that name explicitly.
     */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.io.*;",
            "import java.math.BigDecimal;",
            "import java.nio.file.*;",
            "import java.sql.*;",
            "import java.time.*;",
            "import java.time.format.DateTimeFormatter;",
            "import java.util.*;",
            "import java.util.concurrent.TimeUnit;",
            "import javax.sql.DataSource;",
            "import com.zaxxer.hikari.HikariConfig;",
            "import com.zaxxer.hikari.HikariDataSource;",
            "import dev.bulwark.core.*;",
            "import dev.bulwark.jdbc.*;",
            "import dev.bulwark.jdbc.annotations.*;",
            "import dev.bulwark.jdbc.micrometer.*;",
            "import dev.bulwark.recovery.*;",
            "import dev.bulwark.testkit.*;",
            "import org.flywaydb.core.Flyway;",
            "import org.slf4j.Logger;",
            "import static org.assertj.core.api.Assertions.*;");

    @Test
    void everyJavaSnippetInTheReadmeAndDocsCompiles(@TempDir Path out) throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<DocSnippets.Unit> units = new ArrayList<>();
        for (Path page : pages) {
            String name = root.relativize(page).toString().replace('\\', '/');
            units.addAll(DocSnippets.units(name, Files.readString(page, StandardCharsets.UTF_8)));
        }
        // The pages hold dozens of blocks: finding only a few means the extraction broke, not that all is well.
        assertThat(units).as("snippets found in %s", pages).hasSizeGreaterThan(25);

        List<String> errors = compile(units, out);

        assertThat(errors).as("java snippets in the docs that do not compile (page:line: error)").isEmpty();
    }

    @Test
    void aSnippetThatDoesNotCompileIsReportedWithItsPageAndLine(@TempDir Path out) {
        List<String> page = List.of(
                "# A page",
                "<!-- java-context: BulwarkDataSource db; -->",
                "```text",
                "<!-- java-context: HikariDataSource pool; -->",                   // an example, not a context
                "```",
                "```java",
                "long n = db.inTransaction(c -> 1L);",
                "BulwarkDataSource wrapped = Bulwark.wrap(pool);",                  // pool is not declared
                "BulwarkDataSource db = null;",
                "BulwarkDataSource db = null;",                                     // db declared twice
                "```",
                "",
                "   ```java",                                                       // indented, as in a list
                "   public interface Dao {",
                "       @Transactional",
                "       void save(long id) throws SQLException;",
                "   }",
                "   Dao dao = Bulwark.dao(Dao.class, null, db);",
                "   db.useTransaction(c -> dao.save(1));",
                "   db.useTransaction(c -> { return 1; });",                        // a VoidWork returns nothing
                "   ```");

        List<String> errors = compile(DocSnippets.units("docs/fake.md", String.join("\n", page)), out);

        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).startsWith("docs/fake.md:" + lineOf(page, "wrap(pool)") + ": cannot find symbol")
                .contains("variable pool");
        assertThat(errors.get(1)).startsWith("docs/fake.md:" + (lineOf(page, "db = null") + 1)
                + ": variable db is already defined");
        assertThat(errors.get(2)).startsWith("docs/fake.md:" + lineOf(page, "return 1") + ": ");
    }

    private static int lineOf(List<String> page, String text) {
        for (int i = 0; i < page.size(); i++) {
            if (page.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }

    /**
     * Compiles {@code units} (parsing, then type checking, no class files); each error as {@code page:line: message}
     * (the generated line if unmapped). javac stops before type checking when any file does not parse, so the units
     * that do not parse are reported and left out of the second pass: every unit's first failing phase is reported.
     */
    static List<String> compile(List<DocSnippets.Unit> units, Path out) {
        Map<DocSnippets.Unit, List<String>> parse = run(units, out, false);
        List<DocSnippets.Unit> parsed = new ArrayList<>(units);
        parsed.removeAll(parse.keySet());
        List<String> errors = new ArrayList<>();
        parse.values().forEach(errors::addAll);
        run(parsed, out, true).values().forEach(errors::addAll);
        return errors;
    }

    private static Map<DocSnippets.Unit, List<String>> run(List<DocSnippets.Unit> units, Path out, boolean analyze) {
        Map<DocSnippets.Unit, List<String>> errors = new LinkedHashMap<>();
        if (units.isEmpty()) {
            return errors;
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<URI, DocSnippets.Unit> byUri = new LinkedHashMap<>();
        List<JavaFileObject> files = new ArrayList<>();
        for (DocSnippets.Unit u : units) {
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + u.className().replace('.', '/')
                    + JavaFileObject.Kind.SOURCE.extension), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return u.source();
                }
            };
            byUri.put(file.toUri(), u);
            files.add(file);
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<String> options = List.of("-classpath", classPath(), "-proc:none", "-Xlint:none", "-nowarn",
                    "-Xmaxerrs", "100000", "--release", "17");
            JavacTask task = (JavacTask) javac.getTask(null, fm, diagnostics, options, null, files);
            if (analyze) {
                task.analyze();
            } else {
                task.parse();
            }
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                DocSnippets.Unit u = d.getSource() == null ? null : byUri.get(d.getSource().toUri());
                String message = String.join("; ", d.getMessage(Locale.ROOT).lines().map(String::strip).toList());
                if (u == null) {
                    throw new AssertionError("javac, not about a snippet: " + message);
                }
                int generated = (int) d.getLineNumber();
                int pageLine = generated >= 1 && generated <= u.pageLines().length ? u.pageLines()[generated - 1] : 0;
                String where = u.page() + ":" + (pageLine > 0 ? pageLine
                        : "(added line " + generated + " of " + u.className() + ")");
                errors.computeIfAbsent(u, x -> new ArrayList<>()).add(where + ": " + message);
            }
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire's test class path (java.class.path may hold only its booter jar). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The clone's root: the nearest directory above the working directory holding mvnw and docs/. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no directory with mvnw and docs/ above " + Path.of("").toAbsolutePath());
    }
}
