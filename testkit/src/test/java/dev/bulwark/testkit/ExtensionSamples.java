package dev.bulwark.testkit;

import static dev.bulwark.testkit.ChaosDatabases.selectOne;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test classes that {@link BulwarkTestExtensionLifecycleIT} runs through the JUnit launcher, to see
 * what happens after they end. Not run on their own (the file name matches no test pattern).
 */
final class ExtensionSamples {

    private ExtensionSamples() {
    }

    @BulwarkTest
    static class Databases {
        static final List<TestDatabase> SEEN = new CopyOnWriteArrayList<>();

        @Test
        void usesAllThree(@Postgres TestDatabase pg, @MariaDb TestDatabase maria, @Sqlite TestDatabase lite)
                throws Exception {
            for (TestDatabase db : List.of(pg, maria, lite)) {
                db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                if (!BulwarkTestExtensionLifecycleIT.exists(db)) {
                    throw new AssertionError(db + " does not exist during the test"); // keeps the later check honest
                }
                SEEN.add(db);
            }
        }
    }

    @ExtendWith(BulwarkTestExtension.class)
    static class ConstructorInjected {
        static final List<TestDatabase> SEEN = new CopyOnWriteArrayList<>();
        private final TestDatabase db;

        ConstructorInjected(@Postgres TestDatabase db) {
            this.db = db;
        }

        @Test
        void first() throws Exception {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            SEEN.add(db);
        }

        @Test
        void second() throws Exception {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            SEEN.add(db);
        }
    }

    @BulwarkTest
    static class FailsUnderChaos {
        @Test
        void failsOnTheInjectedError(@Sqlite @Chaos(seed = 77, value = @Chaos.Fault(at = FaultPoint.EXECUTE,
                call = 1, sqlState = "40001")) ChaosDataSource chaos) throws Exception {
            try (Connection c = chaos.getConnection()) {
                selectOne(c);
            }
        }
    }

    @BulwarkTest
    static class Misdeclared {
        @Test
        void databaseWithoutEngine(TestDatabase db) {
            throw new AssertionError("must not run: " + db);
        }

        @Test
        void chaosWithAMissingPlanMethod(@Sqlite @Chaos(plan = "missing") ChaosDataSource chaos) {
            throw new AssertionError("must not run: " + chaos);
        }

        @Test
        void chaosWithABadFault(@Sqlite @Chaos(@Chaos.Fault(at = FaultPoint.COMMIT, rate = 2)) ChaosDataSource chaos) {
            throw new AssertionError("must not run: " + chaos);
        }
    }
}
