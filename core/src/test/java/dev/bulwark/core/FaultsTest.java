package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Chain walking and the decision rule of {@link Faults#classify}, on hand-built exceptions. */
class FaultsTest {

    private static final FaultClassifier PG = Faults.forDialect(Dialect.POSTGRESQL);

    @Test
    void rejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> Faults.classify(null)).withMessage("failure");
    }

    @Test
    void classifiesTheFailureItselfBySqlState() {
        SQLException e = new SQLException("could not serialize", "40001");
        Fault fault = PG.classify(e);
        assertThat(fault.kind()).isEqualTo(FaultKind.TRANSIENT);
        assertThat(fault.sqlState()).isEqualTo("40001");
        assertThat(fault.retryScope()).isEqualTo(RetryScope.UNIT);
        assertThat(fault.mayHaveTakenEffect()).isFalse();
        assertThat(fault.cause()).isSameAs(e);
        assertThat(fault.detail()).contains("POSTGRESQL", "SQLState 40001", "java.sql.SQLException", "at failure");
    }

    @Test
    void findsTheDecidingExceptionDownTheCauseChain() {
        SQLException sql = new SQLException("deadlock", "40P01");
        RuntimeException wrapper = new RuntimeException("dao failed", new IllegalStateException("x", sql));
        Fault fault = PG.classify(wrapper);
        assertThat(fault.kind()).isEqualTo(FaultKind.TRANSIENT);
        assertThat(fault.cause()).isSameAs(sql);
        assertThat(fault.detail()).contains("at cause.cause");
    }

    @Test
    void readsTheNextExceptionsOfABatch() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0]);
        batch.setNextException(new SQLException("ok", "00000"));
        SQLException duplicate = new SQLException("duplicate key", "23505");
        batch.setNextException(duplicate);
        Fault fault = PG.classify(batch);
        assertThat(fault.kind()).isEqualTo(FaultKind.CONSTRAINT);
        assertThat(fault.cause()).isSameAs(duplicate);
        assertThat(fault.detail()).contains("at next.next");
    }

    @Test
    void consultsNextExceptionsBeforeTheCause() {
        SQLException top = new SQLException("batch", (String) null);
        top.setNextException(new SQLException("serialization", "40001"));
        top.initCause(new SQLException("unique", "23505"));
        assertThat(PG.classify(top).kind()).isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void suppressedExceptionsDecideOnlyWhenTheMainChainDoesNot() {
        SQLException main = new SQLException("unique", "23505");
        main.addSuppressed(new SQLException("earlier attempt lost its connection", "08006"));
        assertThat(PG.classify(main).kind()).isEqualTo(FaultKind.CONSTRAINT);

        RuntimeException bare = new RuntimeException("work failed");
        SQLException rollbackError = new SQLException("rollback failed", "08003");
        bare.addSuppressed(rollbackError);
        Fault fault = PG.classify(bare);
        assertThat(fault.kind()).isEqualTo(FaultKind.CONNECTION);
        assertThat(fault.detail()).contains("at suppressed");
    }

    @Test
    void aCodeAnywhereBeatsATypeHintAnywhere() {
        SQLTransientConnectionException wrapper = new SQLTransientConnectionException("pool gave up");
        wrapper.initCause(new SQLException("serialization", "40001"));
        assertThat(PG.classify(wrapper).kind()).isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void typeHintsDecideWhenNoCodeIsKnown() {
        SQLException generic = new SQLException("socket closed", "HY000", 0, new EOFException());
        Fault fault = Faults.classify(generic);
        assertThat(fault.kind()).isEqualTo(FaultKind.CONNECTION);
        assertThat(fault.cause()).isInstanceOf(EOFException.class);
        assertThat(Faults.classify(new ConnectException("refused")).kind()).isEqualTo(FaultKind.CONNECTION);
        assertThat(Faults.classify(new IOException("broken pipe")).kind()).isEqualTo(FaultKind.CONNECTION);
        assertThat(Faults.classify(new SQLTimeoutException("timed out")).kind()).isEqualTo(FaultKind.TIMEOUT);
    }

    @Test
    void endsOnCauseCyclesAndSuppressedCycles() {
        CyclicException a = new CyclicException("a");
        CyclicException b = new CyclicException("b");
        a.cause = b;
        b.cause = a;
        a.addSuppressed(b);
        b.addSuppressed(a);
        Fault fault = Faults.classify(a);
        assertThat(fault.kind()).isEqualTo(FaultKind.UNKNOWN);
        assertThat(fault.cause()).isSameAs(a);

        SQLException x = new SQLException("x", (String) null);
        SQLException y = new SQLException("y", "40001");
        x.setNextException(y);
        y.setNextException(x);
        assertThat(Faults.classify(x).kind()).isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void stopsAtTheDepthLimit() {
        Throwable deepest = new SQLException("too deep", "40001");
        Throwable chain = deepest;
        for (int i = 0; i < 17; i++) {
            chain = new RuntimeException("level " + i, chain);
        }
        assertThat(Faults.classify(chain).kind()).isEqualTo(FaultKind.UNKNOWN);

        Throwable reachable = new SQLException("deep enough", "40001");
        Throwable shorter = reachable;
        for (int i = 0; i < 16; i++) {
            shorter = new RuntimeException("level " + i, shorter);
        }
        assertThat(Faults.classify(shorter).kind()).isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void stopsAfterSixtyFourExceptions() {
        RuntimeException wide = new RuntimeException("many earlier attempts");
        for (int i = 0; i < 100; i++) {
            wide.addSuppressed(i == 80 ? new SQLException("late", "40001") : new RuntimeException("attempt " + i));
        }
        assertThat(Faults.classify(wide).kind()).isEqualTo(FaultKind.UNKNOWN);

        RuntimeException narrow = new RuntimeException("few earlier attempts");
        for (int i = 0; i < 100; i++) {
            narrow.addSuppressed(i == 10 ? new SQLException("early", "40001") : new RuntimeException("attempt " + i));
        }
        assertThat(Faults.classify(narrow).kind()).isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void bulwarkRejectionsWinOverTheirConnectionSqlState() {
        Fault fault = Faults.classify(new CircuitOpen());
        assertThat(fault.kind()).isEqualTo(FaultKind.REJECTED);
        assertThat(fault.retryable()).isFalse();
        assertThat(fault.detail()).contains("policy 'orders-db'");
    }

    @Test
    void resilience4jRefusalsAreRejected() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("db");
        breaker.transitionToOpenState();
        assertThat(Faults.classify(CallNotPermittedException.createCallNotPermittedException(breaker)).kind())
                .isEqualTo(FaultKind.REJECTED);
        assertThat(Faults.classify(new RuntimeException(BulkheadFullException.createBulkheadFullException(
                io.github.resilience4j.bulkhead.Bulkhead.ofDefaults("b")))).kind()).isEqualTo(FaultKind.REJECTED);
    }

    @Test
    void neverRepeatsTheDriversMessageText() {
        SQLException e = new SQLException("ERROR: duplicate key. Detail: Key (email)=(bob@example.com) already exists",
                "23505");
        Fault fault = PG.classify(e);
        assertThat(fault.kind()).isEqualTo(FaultKind.CONSTRAINT);
        assertThat(fault.message() + fault.detail() + fault.remedy() + fault).doesNotContain("bob@example.com");
        assertThat(fault.message()).doesNotContain("\n");
    }

    @Test
    void ambiguousCommitsMayHaveTakenEffectAndNeedResolution() {
        Fault fault = PG.classify(new SQLException("resolution unknown", "08007"));
        assertThat(fault.kind()).isEqualTo(FaultKind.AMBIGUOUS_COMMIT);
        assertThat(fault.retryScope()).isEqualTo(RetryScope.AFTER_RESOLUTION);
        assertThat(fault.mayHaveTakenEffect()).isTrue();
    }

    @Test
    void aConnectionFaultDuringCommitCanBeSeenAsAnAmbiguousCommit() {
        SQLException lost = new SQLException("I/O error", "08006", 0, new EOFException());
        Fault connection = PG.classify(lost);
        assertThat(connection.mayHaveTakenEffect()).isFalse();
        Fault ambiguous = Faults.asKind(connection, FaultKind.AMBIGUOUS_COMMIT);
        assertThat(ambiguous.kind()).isEqualTo(FaultKind.AMBIGUOUS_COMMIT);
        assertThat(ambiguous.retryScope()).isEqualTo(RetryScope.AFTER_RESOLUTION);
        assertThat(ambiguous.mayHaveTakenEffect()).isTrue();
        assertThat(ambiguous.sqlState()).isEqualTo("08006");
        assertThat(ambiguous.cause()).isSameAs(lost);
        assertThat(ambiguous.message()).startsWith("Commit outcome unknown").contains("CONNECTION");
        assertThatNullPointerException().isThrownBy(() -> Faults.asKind(connection, null)).withMessage("kind");
    }

    @Test
    void unknownFailuresAreNotRetriedAndKeepTheFirstCodes() {
        SQLException odd = new SQLException("odd", "ZZ999", 4242);
        Fault fault = PG.classify(new RuntimeException(odd));
        assertThat(fault.kind()).isEqualTo(FaultKind.UNKNOWN);
        assertThat(fault.retryScope()).isEqualTo(RetryScope.NONE);
        assertThat(fault.sqlState()).isEqualTo("ZZ999");
        assertThat(fault.vendorCode()).isEqualTo(4242);
    }

    @Test
    void survivesAccessorsThatThrow() {
        SQLException hostile = new SQLException("hostile") {
            @Override
            public String getSQLState() {
                throw new IllegalStateException("no state for you");
            }

            @Override
            public synchronized Throwable getCause() {
                throw new IllegalStateException("no cause for you");
            }
        };
        assertThat(Faults.classify(hostile).kind()).isEqualTo(FaultKind.UNKNOWN);
    }

    /** An exception whose cause can point back at itself (Throwable.initCause refuses cycles). */
    private static final class CyclicException extends RuntimeException {
        private Throwable cause;

        CyclicException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }
    }

    /** Like Bulwark's own circuit-open exception: a Rejection carrying a connection SQLState. */
    private static final class CircuitOpen extends SQLTransientConnectionException implements Rejection {
        CircuitOpen() {
            super("circuit open", "08001");
        }

        @Override
        public String policyName() {
            return "orders-db";
        }
    }
}
