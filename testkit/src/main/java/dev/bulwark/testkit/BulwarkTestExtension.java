package dev.bulwark.testkit;

import dev.bulwark.testkit.TestDatabase.Engine;
import dev.bulwark.testkit.internal.ChaosReport;
import dev.bulwark.testkit.internal.ChaosSource;
import dev.bulwark.testkit.internal.DatabaseSource;
import dev.bulwark.testkit.internal.FaultProxySource;
import dev.bulwark.testkit.internal.ParameterSource;
import dev.bulwark.testkit.internal.ServerLocator;
import dev.bulwark.testkit.internal.TestResources;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension that gives test methods and constructors real databases and chaos data
 * sources, and cleans them up after each test.
 *
 * <pre>{@code
 * @ExtendWith(BulwarkTestExtension.class)   // or @BulwarkTest
 * class OrderDaoTest {
 *     @Test
 *     void reportsALostAcknowledgement(@Postgres TestDatabase db,
 *                                      @Postgres @Chaos(plan = "lostAck") ChaosDataSource chaos) { ... }
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@code @Postgres}, {@code @MariaDb} or {@code @Sqlite} {@link TestDatabase}: a fresh schema,
 *     database or file for this test, shared by all its parameters naming the same engine, dropped
 *     after the test (also for constructor parameters: they are resolved per test method).</li>
 * <li>{@code @Chaos} {@link ChaosDataSource}, also naming an engine: wraps that database's
 *     DataSource with the declared {@link ChaosPlan}. When the test fails, the seed and the injected
 *     faults are attached to the failure as a suppressed exception.</li>
 * </ul>
 * A test whose database server is missing is skipped with a message saying what to start, or fails
 * with {@code -Dbulwark.test.requireDatabases=true}. Needs JUnit Jupiter 5.13 or later (resources
 * are {@link AutoCloseable} values of the test's store).
 *
 * <p>Thread-safe: one instance serves concurrently running tests.
 */
public class BulwarkTestExtension implements ParameterResolver, ExecutionCondition, TestExecutionExceptionHandler {

    private final List<ParameterSource> sources;

    /** The extension with the built-in parameter kinds; JUnit calls this. */
    public BulwarkTestExtension() {
        this(List.of());
    }

    /** The built-in parameter kinds followed by {@code extra} ones (for tests of the extension point). */
    BulwarkTestExtension(List<ParameterSource> extra) {
        List<ParameterSource> all = new ArrayList<>(List.of(
                new DatabaseSource(),
                new ChaosSource(),
                // A proxy in front of the declared database; closed after the test, before the database
                // (the store closes in reverse order). ExtensionPointIT shows the same shape for other kinds.
                new FaultProxySource()
        ));
        all.addAll(extra);
        this.sources = List.copyOf(all);
    }

    /** Resolve constructor parameters in the test method's context, so they live as long as one test. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return source(parameterContext.getParameter()).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        ParameterSource source = source(parameter).orElseThrow();
        try {
            return source.resolve(parameter, new TestResources(extensionContext));
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(describe(parameterContext) + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ParameterResolutionException("could not resolve " + describe(parameterContext) + ": " + e, e);
        }
    }

    /** Skips a test whose declared database server is missing, unless databases are required. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Boolean.getBoolean(TestDatabases.REQUIRE_PROPERTY)) {
            return ConditionEvaluationResult.enabled(TestDatabases.REQUIRE_PROPERTY + "=true");
        }
        Stream<Executable> executables = Stream.concat(context.getTestMethod().stream(),
                context.getTestClass().stream().flatMap(c -> Stream.of(c.getDeclaredConstructors())));
        Optional<Engine> missing = executables.flatMap(e -> Stream.of(e.getParameters()))
                .map(BulwarkTestExtension::engineOrNull)
                .filter(engine -> engine != null && !TestDatabases.available(engine))
                .findFirst();
        return missing.map(engine -> ConditionEvaluationResult.disabled(ServerLocator.howToStart(engine)))
                .orElseGet(() -> ConditionEvaluationResult.enabled("declared databases are available"));
    }

    /** Attaches the seed and the injected faults of the test's chaos data sources, then rethrows. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        for (ChaosDataSource chaos : TestResources.chaosDataSources(context)) {
            throwable.addSuppressed(new ChaosReport(chaos.report()));
        }
        throw throwable;
    }

    private Optional<ParameterSource> source(Parameter parameter) {
        return sources.stream().filter(s -> s.supports(parameter)).findFirst();
    }

    private static Engine engineOrNull(Parameter parameter) {
        try {
            return TestResources.engineOf(parameter).orElse(null);
        } catch (IllegalArgumentException e) {
            return null; // reported, with the parameter's name, when it is resolved
        }
    }

    private static String describe(ParameterContext context) {
        Parameter p = context.getParameter();
        Executable owner = context.getDeclaringExecutable();
        return "parameter " + context.getIndex() + " (" + p.getType().getSimpleName() + " " + p.getName() + ") of "
                + owner.getDeclaringClass().getSimpleName() + "." + owner.getName();
    }
}
