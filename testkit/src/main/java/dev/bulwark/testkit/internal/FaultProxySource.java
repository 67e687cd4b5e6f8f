package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabase.Engine;
import java.lang.reflect.Parameter;

/**
 * Resolves {@code @Postgres FaultProxy proxy} (likewise {@code @MariaDb}): a proxy in front of the test's
 * database, closed after the test and before the database is dropped. Connect through it with
 * {@code db.dataSourceVia(proxy.host(), proxy.port())}.
 */
public final class FaultProxySource implements ParameterSource {

    @Override
    public boolean supports(Parameter parameter) {
        return parameter.getType() == FaultProxy.class;
    }

    @Override
    public Object resolve(Parameter parameter, TestResources resources) throws Exception {
        Engine engine = TestResources.requireEngine(parameter);
        if (engine == Engine.SQLITE) {
            throw new IllegalArgumentException("parameter '" + parameter.getName() + "': a FaultProxy sits in front "
                    + "of a server; SQLite is embedded. Use @Postgres or @MariaDb, or a ChaosDataSource for SQLite");
        }
        TestDatabase db = resources.database(engine);
        return resources.closeAfterTest(FaultProxy.start(db.host(), db.port()));
    }
}
