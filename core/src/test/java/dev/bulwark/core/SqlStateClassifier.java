package dev.bulwark.core;

import java.sql.SQLException;

/**
 * A small classifier for tests, deciding on SQLState classes only, so these tests do not depend on the
 * real dialect tables.
 */
final class SqlStateClassifier implements FaultClassifier {

    @Override
    public Fault classify(Throwable failure) {
        String state = failure instanceof SQLException e ? e.getSQLState() : null;
        if (state == null) {
            return fault(FaultKind.UNKNOWN, RetryScope.NONE, failure);
        }
        if (state.equals("08007")) {
            return fault(FaultKind.AMBIGUOUS_COMMIT, RetryScope.AFTER_RESOLUTION, failure);
        }
        return switch (state.substring(0, 2)) {
            case "40" -> fault(FaultKind.TRANSIENT, RetryScope.UNIT, failure);
            case "08", "57" -> fault(FaultKind.CONNECTION, RetryScope.UNIT, failure);
            case "53" -> fault(FaultKind.RESOURCE, RetryScope.UNIT, failure);
            case "23" -> fault(FaultKind.CONSTRAINT, RetryScope.NONE, failure);
            case "42" -> fault(FaultKind.PROGRAMMING, RetryScope.NONE, failure);
            default -> fault(FaultKind.UNKNOWN, RetryScope.NONE, failure);
        };
    }

    static Fault fault(FaultKind kind, RetryScope scope, Throwable cause) {
        String state = cause instanceof SQLException e ? e.getSQLState() : null;
        return new Fault(kind, state, 0, scope, false, kind + " in test", "none", "test classifier", cause);
    }
}
