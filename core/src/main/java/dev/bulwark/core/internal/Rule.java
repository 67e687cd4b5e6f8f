package dev.bulwark.core.internal;

import dev.bulwark.core.FaultKind;
import java.util.Objects;

/**
 * One classification rule: what it matches, the kind it decides, and why (one line, shown in
 * {@code docs/faults.md} and in a fault's message).
 *
 * <p>Immutable and thread-safe.
 *
 * @param match what the rule looks at
 * @param kind  the kind it decides
 * @param why   one line saying why this code means this kind
 */
public record Rule(Match match, FaultKind kind, String why) {

    /**
     * @throws NullPointerException if an argument is null
     */
    public Rule {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(why, "why");
    }

    /** A rule on an exact SQLState. */
    public static Rule sqlState(String sqlState, FaultKind kind, String why) {
        return new Rule(new SqlState(sqlState), kind, why);
    }

    /** A rule on a two-character SQLState class. */
    public static Rule sqlStateClass(String sqlStateClass, FaultKind kind, String why) {
        return new Rule(new SqlStateClass(sqlStateClass), kind, why);
    }

    /** A rule on a vendor error code. */
    public static Rule vendorCode(int vendorCode, FaultKind kind, String why) {
        return new Rule(new VendorCode(vendorCode), kind, why);
    }

    /** A rule on an exception type (and its subtypes). */
    public static Rule type(Class<?> type, FaultKind kind, String why) {
        return new Rule(new ExceptionType(type), kind, why);
    }

    /** Whether this rule decides {@code node}. */
    public boolean matches(ChainNode node) {
        return match.matches(node);
    }

    /** What a rule looks at. */
    public sealed interface Match permits SqlState, SqlStateClass, VendorCode, ExceptionType {

        /** Whether {@code node} shows this evidence. */
        boolean matches(ChainNode node);

        /** The evidence as written in the documentation, such as {@code SQLState 40001}. */
        String describe();
    }

    /** An exact SQLState, such as {@code 40001}. */
    public record SqlState(String value) implements Match {
        @Override
        public boolean matches(ChainNode node) {
            return value.equals(node.sqlState());
        }

        @Override
        public String describe() {
            return "SQLState " + value;
        }
    }

    /** A SQLState class: the first two characters, such as {@code 08}. */
    public record SqlStateClass(String value) implements Match {
        @Override
        public boolean matches(ChainNode node) {
            String state = node.sqlState();
            return state != null && state.length() >= 2 && state.startsWith(value);
        }

        @Override
        public String describe() {
            return "SQLState class " + value + "xxx";
        }
    }

    /** A vendor error code, as returned by {@link java.sql.SQLException#getErrorCode()}. */
    public record VendorCode(int value) implements Match {
        @Override
        public boolean matches(ChainNode node) {
            return node.isSqlException() && node.vendorCode() == value;
        }

        @Override
        public String describe() {
            return "vendor code " + value;
        }
    }

    /** An exception type (or an interface such as {@code Rejection}), matching subtypes too. */
    public record ExceptionType(Class<?> value) implements Match {
        @Override
        public boolean matches(ChainNode node) {
            return value.isInstance(node.throwable());
        }

        @Override
        public String describe() {
            return value.getName();
        }
    }
}
