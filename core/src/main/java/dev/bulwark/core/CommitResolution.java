package dev.bulwark.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the jdbc layer finds out whether a commit whose acknowledgement was lost took effect
 * ({@code bulwark.jdbc.commitResolution}).
 */
public enum CommitResolution {
    /** The transaction id where the database supports it (PostgreSQL), else the commit ledger. */
    AUTO("auto"),
    /** Only the database's transaction id ({@code pg_xact_status}); otherwise the outcome stays unknown. */
    TRANSACTION_ID("transaction-id"),
    /** Only the commit-marker row in the idempotency ledger table. */
    LEDGER("ledger"),
    /** Never resolve: a lost commit acknowledgement surfaces as SQLState 08007. */
    OFF("off");

    private final String text;

    CommitResolution(String text) {
        this.text = text;
    }

    /** The value as written in properties, such as {@code transaction-id}. */
    public String text() {
        return text;
    }

    /**
     * The mode written as {@code text}.
     *
     * @throws IllegalArgumentException if {@code text} names no mode
     */
    public static CommitResolution fromText(String text) {
        for (CommitResolution mode : values()) {
            if (mode.text.equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected one of " + allTexts() + ", was '" + text + "'");
    }

    /** All values as written in properties, separated by {@code |}. */
    public static String allTexts() {
        return Arrays.stream(values()).map(CommitResolution::text).collect(Collectors.joining("|"));
    }
}
