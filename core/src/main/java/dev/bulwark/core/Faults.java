package dev.bulwark.core;

import dev.bulwark.core.internal.KindTraits;
import dev.bulwark.core.internal.RuleClassifier;
import java.util.List;
import java.util.Objects;

/**
 * Classifies failures into {@link Fault}s, reading SQLStates, vendor codes and exception types, never
 * message text.
 *
 * <p>A failure's chain is walked: the failure, its SQL next exceptions and causes, then suppressed
 * exceptions, each exception once, at most 16 links deep. The deciding exception is the first one (in
 * that order) matched by a user rule; else the first with a code that the rules of its dialect know,
 * or a refusal by Bulwark or Resilience4j; else the first whose type hints at a kind (an
 * {@code IOException}, a JDK {@code SQLException} subclass); else the fault is
 * {@link FaultKind#UNKNOWN}. The rules of each dialect are listed in {@code docs/faults.md}.
 *
 * <pre>{@code
 * Fault fault = Faults.classify(e);                                   // dialect inferred per exception
 * FaultClassifier pg = Faults.forDialect(Dialect.POSTGRESQL);
 * FaultClassifier mine = Faults.custom().withRule(FaultRule.onSqlState("P0001", FaultKind.TRANSIENT)).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Faults {

    private static final FaultClassifier DEFAULT = new RuleClassifier(null, List.of());

    private Faults() {
    }

    /**
     * Classifies a failure with the built-in rules, inferring each exception's dialect from the
     * driver that raised it; never throws and always returns a fault.
     *
     * @throws NullPointerException if {@code failure} is null
     */
    public static Fault classify(Throwable failure) {
        return DEFAULT.classify(failure);
    }

    /**
     * The built-in classifier that reads every exception with {@code dialect}'s rules.
     *
     * @throws NullPointerException if {@code dialect} is null
     */
    public static FaultClassifier forDialect(Dialect dialect) {
        return custom().withDialect(dialect).build();
    }

    /**
     * The same fault seen as {@code kind}, with that kind's retry scope, side-effect flag, message and
     * remedy, keeping codes, detail and cause. For callers that know more than the classifier: a
     * {@link FaultKind#CONNECTION} fault raised while a COMMIT was in flight is
     * {@link FaultKind#AMBIGUOUS_COMMIT}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Fault asKind(Fault fault, FaultKind kind) {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(kind, "kind");
        return fault.withKind(kind, KindTraits.retryScope(kind), KindTraits.mayHaveTakenEffect(kind),
                KindTraits.headline(kind) + " (classified " + fault.kind() + ": " + fault.message() + ")",
                KindTraits.remedy(kind));
    }

    /** A builder for a classifier with a fixed dialect or the user's own rules in front. */
    public static FaultClassifierBuilder custom() {
        return new FaultClassifierBuilder();
    }
}
