package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.internal.ParameterSource;
import dev.bulwark.testkit.internal.TestResources;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult.Status;

/**
 * The extension point a FaultProxy parameter will use (see the marked place in
 * {@link BulwarkTestExtension}), exercised with a stand-in that has FaultProxy's shape: started
 * against the declared database's host and port, closed after the test and before the database.
 */
class ExtensionPointIT {

    /** Stand-in for FaultProxy: {@code start(host, port)}, {@code host()}, {@code port()}, AutoCloseable. */
    static final class StandInProxy implements AutoCloseable {
        final String targetHost;
        final int targetPort;
        final TestDatabase target;
        volatile boolean closed;
        volatile boolean targetExistedAtClose;

        StandInProxy(TestDatabase target) {
            this.target = target;
            this.targetHost = target.host();
            this.targetPort = target.port();
        }

        @Override
        public void close() throws Exception {
            targetExistedAtClose = BulwarkTestExtensionLifecycleIT.exists(target);
            closed = true;
        }
    }

    /** Resolves {@code @Postgres StandInProxy} exactly as the FaultProxy source will resolve FaultProxy. */
    static final class StandInProxySource implements ParameterSource {
        @Override
        public boolean supports(Parameter parameter) {
            return parameter.getType() == StandInProxy.class;
        }

        @Override
        public Object resolve(Parameter parameter, TestResources resources) {
            TestDatabase db = resources.database(TestResources.requireEngine(parameter));
            return resources.closeAfterTest(new StandInProxy(db));
        }
    }

    static final class Sample {
        static final List<StandInProxy> PROXIES = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final BulwarkTestExtension EXTENSION = new BulwarkTestExtension(List.of(new StandInProxySource()));

        @Test
        void getsAProxyInFrontOfItsDatabase(@Postgres TestDatabase db, @Postgres StandInProxy proxy) {
            if (proxy.target != db) {
                throw new AssertionError("proxy is not in front of the test's database");
            }
            PROXIES.add(proxy);
        }
    }

    @Test
    void aResourceInFrontOfTheDeclaredDatabaseIsClosedAfterTheTestBeforeTheDatabase() throws Exception {
        Sample.PROXIES.clear();
        assertThat(SampleRun.of(Sample.class).get("getsAProxyInFrontOfItsDatabase").getStatus())
                .isEqualTo(Status.SUCCESSFUL);

        StandInProxy proxy = Sample.PROXIES.get(0);
        assertThat(proxy.targetHost).isEqualTo(proxy.target.host());
        assertThat(proxy.targetPort).isEqualTo(proxy.target.port()).isPositive();
        assertThat(proxy.closed).isTrue();
        assertThat(proxy.targetExistedAtClose).as("database still there when the proxy closed").isTrue();
        assertThat(BulwarkTestExtensionLifecycleIT.exists(proxy.target)).isFalse();
    }
}
