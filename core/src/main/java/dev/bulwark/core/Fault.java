package dev.bulwark.core;

import java.util.Objects;

/**
 * The classification of one failure: what kind it is, what may be retried, and what a person should
 * know about it.
 *
 * <p>Immutable and thread-safe. Produced by {@link Faults#classify(Throwable)}; the jdbc layer may
 * derive a new one with {@link #withKind} when it knows more (a connection lost during COMMIT is
 * {@link FaultKind#AMBIGUOUS_COMMIT}, not just {@link FaultKind#CONNECTION}).
 *
 * @param kind               what went wrong
 * @param sqlState           the SQLState that decided, or {@code null} when there was none (SQLite, I/O errors)
 * @param vendorCode         the vendor error code that decided, or {@code 0}
 * @param retryScope         how much may be run again
 * @param mayHaveTakenEffect whether the failed operation may nevertheless have changed the database
 * @param message            one line for a person, free of SQL text, bind values and credentials
 * @param remedy             what to do about it
 * @param detail             technical detail for developers (dialect, rule, exception class, codes), free of
 *                           bind values and credentials
 * @param cause              the exception in the chain that decided the classification (may be the one
 *                           classified); never {@code null}
 */
public record Fault(FaultKind kind, String sqlState, int vendorCode, RetryScope retryScope,
                   boolean mayHaveTakenEffect, String message, String remedy, String detail, Throwable cause) {

    /**
     * @throws NullPointerException if kind, retryScope, message, remedy, detail or cause is null
     */
    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryScope, "retryScope");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(remedy, "remedy");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(cause, "cause");
    }

    /** Whether Bulwark may run the work again after this fault (possibly after resolving its outcome). */
    public boolean retryable() {
        return retryScope != RetryScope.NONE;
    }

    /** The same fault seen as another kind, with that kind's retry scope, message and remedy. */
    public Fault withKind(FaultKind newKind, RetryScope newScope, boolean newMayHaveTakenEffect,
                          String newMessage, String newRemedy) {
        return new Fault(newKind, sqlState, vendorCode, newScope, newMayHaveTakenEffect, newMessage, newRemedy,
                detail, cause);
    }

    /** Kind, codes and message; never the driver's message text, which may hold bind values. */
    @Override
    public String toString() {
        return kind + (sqlState == null ? "" : " [SQLState " + sqlState + "]")
                + (vendorCode == 0 ? "" : " [vendor code " + vendorCode + "]") + ": " + message;
    }
}
