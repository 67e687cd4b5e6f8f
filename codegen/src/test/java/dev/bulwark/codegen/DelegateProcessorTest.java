package dev.bulwark.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles small annotated classes with the processor and runs what it generated. */
class DelegateProcessorTest {

    private static final String GREETER = """
            package sample;
            public interface Greeter {
                String greet(String name) throws java.sql.SQLException;
                int count();
                <T> T as(Class<T> type) throws java.sql.SQLException;
                Greeter self() throws java.sql.SQLException;
                String farewell() throws java.sql.SQLException;
                default String motto() throws java.sql.SQLException { return "interface default"; }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void generatesDelegatesThatRouteSqlExceptionsThroughCheckException() throws Exception {
        Compilation result = compile(Map.of("sample/Greeter.java", GREETER, "sample/GreeterWrapper.java", """
                package sample;
                @dev.bulwark.codegen.GenerateDelegates(Greeter.class)
                public abstract class GreeterWrapper<D extends Greeter> implements Greeter {
                    public final D delegate;
                    public int checked;
                    protected GreeterWrapper(D delegate) { this.delegate = delegate; }
                    java.sql.SQLException checkException(java.sql.SQLException e) {
                        checked++;
                        return new java.sql.SQLException("checked: " + e.getMessage(), e);
                    }
                    @dev.bulwark.codegen.WrapsResult
                    Greeter rewrap(Greeter greeter) { return greeter == null ? null : new GreeterWrapperImpl(greeter); }
                    @Override public String farewell() { return "hand-written"; }
                }
                """, "sample/Fixed.java", """
                package sample;
                public final class Fixed implements Greeter {
                    public String greet(String name) throws java.sql.SQLException {
                        if (name == null) throw new java.sql.SQLException("no name");
                        return "hello " + name;
                    }
                    public int count() { return 42; }
                    public <T> T as(Class<T> type) { return type.cast(this); }
                    public Greeter self() { return this; }
                    public String farewell() { return "from delegate"; }
                    public String motto() { return "driver's own"; }
                }
                """));
        assertThat(result.diagnostics()).isEmpty();
        String source = Files.readString(dir.resolve("generated/sample/GreeterWrapperImpl.java"));
        assertThat(source).contains("final class GreeterWrapperImpl extends sample.GreeterWrapper<sample.Greeter>")
                .contains("throw checkException(e);").contains("return rewrap(delegate.self());")
                .doesNotContain("farewell");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()})) {
            Class<?> greeter = loader.loadClass("sample.Greeter");
            Object fixed = loader.loadClass("sample.Fixed").getConstructor().newInstance();
            Class<?> impl = loader.loadClass("sample.GreeterWrapperImpl");
            var constructor = impl.getDeclaredConstructor(greeter);
            constructor.setAccessible(true);
            Object wrapper = constructor.newInstance(fixed);
            Method greet = greeter.getMethod("greet", String.class);
            assertThat(greet.invoke(wrapper, "ada")).isEqualTo("hello ada");
            assertThat(greeter.getMethod("count").invoke(wrapper)).isEqualTo(42);
            assertThat(greeter.getMethod("as", Class.class).invoke(wrapper, Object.class)).isSameAs(fixed);
            assertThat(greeter.getMethod("farewell").invoke(wrapper)).isEqualTo("hand-written");
            assertThat(greeter.getMethod("motto").invoke(wrapper)).as("defaults are delegated too")
                    .isEqualTo("driver's own");
            assertThat(greeter.getMethod("self").invoke(wrapper)).isInstanceOf(impl).isNotSameAs(wrapper);
            assertThatThrownBy(() -> greet.invoke(wrapper, (Object) null))
                    .cause().isInstanceOf(SQLException.class).hasMessage("checked: no name");
            assertThat(impl.getField("checked").get(wrapper)).isEqualTo(1);
        }
    }

    @Test
    void generatesRefusalsForEveryUnimplementedMethod() throws Exception {
        Compilation result = compile(Map.of("sample/Door.java", """
                package sample;
                public interface Door {
                    void open() throws java.sql.SQLException;
                    String name() throws java.sql.SQLException;
                    boolean isShut() throws java.sql.SQLException;
                }
                """, "sample/ShutDoor.java", """
                package sample;
                @dev.bulwark.codegen.GenerateRefusals(Door.class)
                abstract class ShutDoor implements Door {
                    java.sql.SQLException refusal() { return new java.sql.SQLException("shut", "08003"); }
                    @Override public boolean isShut() { return true; }
                }
                """));
        assertThat(result.diagnostics()).isEmpty();
        String source = Files.readString(dir.resolve("generated/sample/ShutDoorImpl.java"));
        assertThat(source.split("throw refusal\\(\\);", -1)).hasSize(3);
        assertThat(source).doesNotContain("isShut");
    }

    @Test
    void rejectsAConcreteClassAndARefusalThatCannotThrowSqlException() throws Exception {
        Compilation result = compile(Map.of("sample/Door.java", """
                package sample;
                public interface Door { void open(); }
                """, "sample/Concrete.java", """
                package sample;
                @dev.bulwark.codegen.GenerateDelegates(Door.class)
                class Concrete implements Door { public void open() { } }
                """, "sample/Unrefusable.java", """
                package sample;
                @dev.bulwark.codegen.GenerateRefusals(Door.class)
                abstract class Unrefusable implements Door {
                    java.sql.SQLException refusal() { return new java.sql.SQLException("shut"); }
                }
                """));
        assertThat(result.diagnostics())
                .anySatisfy(d -> assertThat(d).contains("sample.Concrete must be an abstract class"))
                .anySatisfy(d -> assertThat(d).contains("open() cannot be refused"));
    }

    private record Compilation(List<String> diagnostics) {
    }

    private Compilation compile(Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path generated = Files.createDirectories(dir.resolve("generated"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        javax.tools.DiagnosticCollector<JavaFileObject> diagnostics = new javax.tools.DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            List<Path> paths = sources.keySet().stream().map(src::resolve).toList();
            JavaCompiler.CompilationTask task = compiler.getTask(new StringWriter(), files, diagnostics,
                    List.of("-d", classes.toString(), "-s", generated.toString(),
                            "-classpath", System.getProperty("java.class.path")),
                    null, files.getJavaFileObjectsFromPaths(paths));
            task.setProcessors(List.of(new DelegateProcessor()));
            task.call();
        }
        return new Compilation(diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null)).toList());
    }
}
