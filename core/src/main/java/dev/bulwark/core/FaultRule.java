package dev.bulwark.core;

import dev.bulwark.core.internal.Rule;
import java.util.Objects;

/**
 * A user's classification rule, consulted before Bulwark's built-in rules (as HikariCP's
 * {@code SQLExceptionOverride} is): it maps a SQLState, a SQLState class, a vendor code or an exception
 * type to a {@link FaultKind}.
 *
 * <pre>{@code
 * FaultClassifier classifier = Faults.custom()
 *         .withDialect(Dialect.POSTGRESQL)
 *         .withRule(FaultRule.onSqlState("P0001", FaultKind.TRANSIENT))   // our trigger's "try again"
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class FaultRule {

    private final Rule rule;

    private FaultRule(Rule rule) {
        this.rule = rule;
    }

    /**
     * Matches an exception whose SQLState is exactly {@code sqlState}.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code sqlState} is not five characters of 0-9 and A-Z
     */
    public static FaultRule onSqlState(String sqlState, FaultKind kind) {
        requireState("sqlState", sqlState, 5);
        return of(Rule.sqlState(sqlState, kind, "user rule"), kind);
    }

    /**
     * Matches an exception whose SQLState starts with the two-character class {@code sqlStateClass}.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code sqlStateClass} is not two characters of 0-9 and A-Z
     */
    public static FaultRule onSqlStateClass(String sqlStateClass, FaultKind kind) {
        requireState("sqlStateClass", sqlStateClass, 2);
        return of(Rule.sqlStateClass(sqlStateClass, kind, "user rule"), kind);
    }

    /**
     * Matches an {@link java.sql.SQLException} whose {@code getErrorCode()} is {@code vendorCode}.
     *
     * @throws NullPointerException     if {@code kind} is null
     * @throws IllegalArgumentException if {@code vendorCode} is 0, which drivers use for "no code"
     */
    public static FaultRule onVendorCode(int vendorCode, FaultKind kind) {
        if (vendorCode == 0) {
            throw new IllegalArgumentException("vendorCode: 0 means 'no vendor code' and cannot be matched");
        }
        return of(Rule.vendorCode(vendorCode, kind, "user rule"), kind);
    }

    /**
     * Matches an exception of type {@code type} or a subtype.
     *
     * @throws NullPointerException if an argument is null
     */
    public static FaultRule onException(Class<? extends Throwable> type, FaultKind kind) {
        Objects.requireNonNull(type, "type");
        return of(Rule.type(type, kind, "user rule"), kind);
    }

    /** The kind this rule decides. */
    public FaultKind kind() {
        return rule.kind();
    }

    Rule rule() {
        return rule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultRule other && rule.equals(other.rule);
    }

    @Override
    public int hashCode() {
        return rule.hashCode();
    }

    /** Such as {@code FaultRule[SQLState 40001 -> TRANSIENT]}. */
    @Override
    public String toString() {
        return "FaultRule[" + rule.match().describe() + " -> " + rule.kind() + "]";
    }

    private static FaultRule of(Rule rule, FaultKind kind) {
        Objects.requireNonNull(kind, "kind");
        return new FaultRule(rule);
    }

    private static void requireState(String name, String value, int length) {
        Objects.requireNonNull(value, name);
        if (value.length() != length || !value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not " + length
                    + " characters of 0-9 and A-Z");
        }
    }
}
