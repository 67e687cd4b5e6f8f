package dev.bulwark.recovery.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.BreakerState;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.core.Fault;
import dev.bulwark.core.Faults;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultRoutingTest {

    private static boolean buffers(SQLException e) {
        return FaultRouting.databaseUnavailable(e, Faults.classify(e));
    }

    private static boolean deadLetters(SQLException e) {
        Fault fault = Faults.classify(e);
        return !FaultRouting.databaseUnavailable(e, fault) && FaultRouting.wouldFailAgain(fault);
    }

    @Test
    void buffersWhenTheBreakerRefusesTheCall() {
        assertThat(buffers(new CircuitOpenException("db", BreakerState.OPEN, Duration.ofSeconds(1)))).isTrue();
    }

    @Test
    void buffersConnectionTimeoutAndAmbiguousCommitFaults() {
        assertThat(buffers(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(buffers(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(buffers(new SQLException("resolution unknown", "08007"))).isTrue();
        assertThat(buffers(new java.sql.SQLTimeoutException("timed out"))).isTrue();
    }

    @Test
    void throwsAndDeadLettersConstraintViolationsAndProgrammingErrors() {
        SQLException duplicate = new SQLException("duplicate key", "23505");
        SQLException syntax = new SQLException("syntax error", "42601");
        assertThat(buffers(duplicate)).isFalse();
        assertThat(deadLetters(duplicate)).isTrue();
        assertThat(buffers(syntax)).isFalse();
        assertThat(deadLetters(syntax)).isTrue();
    }

    @Test
    void neitherBuffersNorDeadLettersAConflictThatOutlivedItsRetries() {
        SQLException serialization = new SQLException("could not serialize access", "40001");
        assertThat(buffers(serialization)).isFalse();
        assertThat(deadLetters(serialization)).isFalse();
    }
}
