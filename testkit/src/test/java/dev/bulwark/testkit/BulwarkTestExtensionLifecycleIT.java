package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.internal.ChaosReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;

/** What the extension does around a test: cleanup, per-test constructor parameters, failure reports. */
class BulwarkTestExtensionLifecycleIT {

    @Test
    void databasesAreDroppedAfterTheTest() throws Exception {
        ExtensionSamples.Databases.SEEN.clear();
        Map<String, TestExecutionResult> results = SampleRun.of(ExtensionSamples.Databases.class);

        assertThat(results.get("usesAllThree").getStatus()).isEqualTo(Status.SUCCESSFUL);
        assertThat(ExtensionSamples.Databases.SEEN).hasSize(3);
        for (TestDatabase db : ExtensionSamples.Databases.SEEN) {
            assertThat(exists(db)).as("%s after the test", db).isFalse();
        }
    }

    @Test
    void constructorParametersLiveForOneTest() throws Exception {
        ExtensionSamples.ConstructorInjected.SEEN.clear();
        Map<String, TestExecutionResult> results = SampleRun.of(ExtensionSamples.ConstructorInjected.class);

        assertThat(results.values()).extracting(TestExecutionResult::getStatus)
                .containsExactly(Status.SUCCESSFUL, Status.SUCCESSFUL);
        assertThat(ExtensionSamples.ConstructorInjected.SEEN).hasSize(2)
                .extracting(TestDatabase::name).doesNotHaveDuplicates();
        for (TestDatabase db : ExtensionSamples.ConstructorInjected.SEEN) {
            assertThat(exists(db)).as("%s after the test", db).isFalse();
        }
    }

    @Test
    void aFailedTestCarriesTheSeedAndTheInjectedFaults() {
        TestExecutionResult result = SampleRun.of(ExtensionSamples.FailsUnderChaos.class).get("failsOnTheInjectedError");

        assertThat(result.getStatus()).isEqualTo(Status.FAILED);
        Throwable failure = result.getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(SQLException.class).hasMessageContaining("seed 77");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(ChaosReport.class)
                .extracting(Throwable::getMessage).asString()
                .contains("seed=77", "withSeed(77L)", "EXECUTE call #1", "SQLState 40001");
    }

    @Test
    void misdeclaredParametersFailNamingTheParameterAndTheFix() {
        Map<String, TestExecutionResult> results = SampleRun.of(ExtensionSamples.Misdeclared.class);

        assertThat(failure(results, "databaseWithoutEngine"))
                .hasMessageContaining("parameter 0 (TestDatabase db) of Misdeclared.databaseWithoutEngine")
                .hasMessageContaining("@Postgres, @MariaDb or @Sqlite");
        assertThat(failure(results, "chaosWithAMissingPlanMethod"))
                .hasMessageContaining("(ChaosDataSource chaos)")
                .hasMessageContaining("no method missing()");
        assertThat(failure(results, "chaosWithABadFault"))
                .hasMessageContaining("@Chaos.Fault #0: withRate(p) needs 0 < p <= 1, was 2.0");
    }

    private static Throwable failure(Map<String, TestExecutionResult> results, String test) {
        TestExecutionResult result = results.get(test);
        assertThat(result.getStatus()).as(test).isEqualTo(Status.FAILED);
        Throwable t = result.getThrowable().orElseThrow();
        assertThat(t).isInstanceOf(ParameterResolutionException.class);
        return t;
    }

    /** Whether the schema, database or file of {@code db} still exists, seen from a fresh one. */
    static boolean exists(TestDatabase db) throws Exception {
        if (db.engine() == TestDatabase.Engine.SQLITE) {
            return Files.exists(Path.of(JdbcAddress.parse(db.jdbcUrl()).database()));
        }
        try (TestDatabase other = db.engine() == TestDatabase.Engine.POSTGRESQL
                ? TestDatabases.postgres() : TestDatabases.mariadb();
             Connection c = other.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, db.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
