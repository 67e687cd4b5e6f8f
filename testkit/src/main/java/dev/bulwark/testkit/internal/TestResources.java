package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.MariaDb;
import dev.bulwark.testkit.Postgres;
import dev.bulwark.testkit.Sqlite;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabase.Engine;
import dev.bulwark.testkit.TestDatabases;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The resources of one test, kept in its {@link ExtensionContext} store: closed by JUnit when the
 * test ends, in reverse order of creation (so a resource in front of a database closes first).
 *
 * <p>Thread-safe as the store is.
 */
public final class TestResources {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestResources.class);

    private final ExtensionContext context;

    public TestResources(ExtensionContext context) {
        this.context = context;
    }

    /** The engine named by the parameter's {@code @Postgres}, {@code @MariaDb} or {@code @Sqlite}. */
    public static Optional<Engine> engineOf(Parameter parameter) {
        List<Engine> engines = new ArrayList<>();
        if (parameter.isAnnotationPresent(Postgres.class)) {
            engines.add(Engine.POSTGRESQL);
        }
        if (parameter.isAnnotationPresent(MariaDb.class)) {
            engines.add(Engine.MARIADB);
        }
        if (parameter.isAnnotationPresent(Sqlite.class)) {
            engines.add(Engine.SQLITE);
        }
        if (engines.size() > 1) {
            throw new IllegalArgumentException("names several databases " + engines + "; annotate it with one of "
                    + "@Postgres, @MariaDb, @Sqlite");
        }
        return engines.stream().findFirst();
    }

    /** Like {@link #engineOf} but the annotation is required. */
    public static Engine requireEngine(Parameter parameter) {
        return engineOf(parameter).orElseThrow(() -> new IllegalArgumentException(
                "names no database; annotate it with @Postgres, @MariaDb or @Sqlite"));
    }

    /** The test's database of this engine, created on first use and dropped after the test. */
    public TestDatabase database(Engine engine) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("database:" + engine, key -> create(engine),
                TestDatabase.class);
    }

    /** Registers {@code resource} to be closed when the test ends, and returns it. */
    public <T extends AutoCloseable> T closeAfterTest(T resource) {
        context.getStore(NAMESPACE).put(new Object(), resource);
        return resource;
    }

    /** Remembers a chaos data source, so a failure can report its seed and faults. */
    public ChaosDataSource remember(ChaosDataSource chaos) {
        chaosDataSources(context).add(chaos);
        return chaos;
    }

    /** The chaos data sources resolved for the test of {@code context}. */
    @SuppressWarnings("unchecked")
    public static List<ChaosDataSource> chaosDataSources(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("chaos", key -> new CopyOnWriteArrayList<ChaosDataSource>(),
                List.class);
    }

    /** The test class. */
    public Class<?> testClass() {
        return context.getRequiredTestClass();
    }

    /** The test instance, absent while the constructor's parameters are resolved. */
    public Optional<Object> testInstance() {
        return context.getTestInstance();
    }

    private static TestDatabase create(Engine engine) {
        try {
            return switch (engine) {
                case POSTGRESQL -> TestDatabases.postgres();
                case MARIADB -> TestDatabases.mariadb();
                case SQLITE -> TestDatabases.sqlite();
            };
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not create a " + engine + " test database: " + e.getMessage(), e);
        }
    }
}
