package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.TestDatabase;
import java.lang.reflect.Parameter;

/** Resolves {@code @Postgres}, {@code @MariaDb} or {@code @Sqlite} {@link TestDatabase} parameters. Thread-safe. */
public final class DatabaseSource implements ParameterSource {

    @Override
    public boolean supports(Parameter parameter) {
        return parameter.getType() == TestDatabase.class;
    }

    @Override
    public Object resolve(Parameter parameter, TestResources resources) {
        return resources.database(TestResources.requireEngine(parameter));
    }
}
