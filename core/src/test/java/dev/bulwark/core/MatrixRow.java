package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One row of a classification matrix: a way to make a real database raise an error, and the kind and
 * codes expected of it. The row passes only if the scenario really raised an {@link SQLException}.
 *
 * @param name        how the error is raised
 * @param scenario    raises the error against a real database
 * @param kind        the expected kind
 * @param sqlStates   the SQLStates accepted (empty: SQLState must be null)
 * @param vendorCode  the expected vendor code, or {@code -1} to accept any
 */
record MatrixRow(String name, Scenario scenario, FaultKind kind, Set<String> sqlStates, int vendorCode) {

    private static final Logger LOG = LoggerFactory.getLogger(MatrixRow.class);

    /** Raises an error; any {@link SQLException} it throws is the row's subject. */
    @FunctionalInterface
    interface Scenario {
        void run() throws Exception;
    }

    static MatrixRow row(String name, FaultKind kind, String sqlState, int vendorCode, Scenario scenario) {
        return new MatrixRow(name, scenario, kind, sqlState == null ? Set.of() : Set.of(sqlState), vendorCode);
    }

    static MatrixRow row(String name, FaultKind kind, Set<String> sqlStates, Scenario scenario) {
        return new MatrixRow(name, scenario, kind, sqlStates, -1);
    }

    /** The row as a test that raises the error, classifies it with {@code classifier}, and checks it. */
    DynamicTest toTest(String database, FaultClassifier classifier) {
        return DynamicTest.dynamicTest(name, () -> {
            SQLException e = raise();
            Fault fault = classifier.classify(e);
            Fault inferred = Faults.classify(e);
            LOG.info("matrix | {} | {} | SQLState {} vendor code {} ({}) | {} | inferred {}", database, name,
                    e.getSQLState(), e.getErrorCode(), e.getClass().getName(), fault.kind(), inferred.kind());
            if (sqlStates.isEmpty()) {
                assertThat(e.getSQLState()).as("SQLState").isNull();
            } else {
                assertThat(e.getSQLState()).as("SQLState").isIn(sqlStates);
            }
            if (vendorCode >= 0) {
                assertThat(e.getErrorCode()).as("vendor code").isEqualTo(vendorCode);
            }
            assertThat(fault.kind()).as("kind with the dialect given; detail: %s", fault.detail()).isEqualTo(kind);
            assertThat(inferred.kind()).as("kind with the dialect inferred; detail: %s", inferred.detail())
                    .isEqualTo(kind);
            assertThat(fault.retryScope()).isEqualTo(dev.bulwark.core.internal.KindTraits.retryScope(kind));
        });
    }

    private SQLException raise() {
        try {
            scenario.run();
        } catch (SQLException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(name + ": expected an SQLException, got " + e, e);
        }
        throw new AssertionError(name + ": the database raised no error");
    }
}
