package dev.bulwark.core;

import dev.bulwark.core.internal.Rule;
import dev.bulwark.core.internal.RuleClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link FaultClassifier} with a fixed dialect and the user's own rules in front of the
 * built-in ones. Obtain one from {@link Faults#custom()}.
 *
 * <pre>{@code
 * FaultClassifier classifier = Faults.custom()
 *         .withDialect(Dialect.fromJdbcUrl(url))
 *         .withRule(FaultRule.onVendorCode(1615, FaultKind.UNKNOWN))
 *         .build();
 * }</pre>
 *
 * <p>Not thread-safe; the classifiers it builds are immutable and thread-safe, and each holds its own
 * rules (nothing is registered globally).
 */
public final class FaultClassifierBuilder {

    private Dialect dialect;
    private final List<FaultRule> rules = new ArrayList<>();

    FaultClassifierBuilder() {
    }

    /**
     * Reads every exception with {@code dialect}'s rules instead of inferring the dialect from each
     * exception's package (the default).
     *
     * @throws NullPointerException if {@code dialect} is null
     */
    public FaultClassifierBuilder withDialect(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return this;
    }

    /**
     * Adds a rule after the rules added so far; all of them are consulted before the built-in rules.
     *
     * @throws NullPointerException     if {@code rule} is null
     * @throws IllegalArgumentException if an earlier rule matches the same evidence, so this one could
     *                                  never decide
     */
    public FaultClassifierBuilder withRule(FaultRule rule) {
        Objects.requireNonNull(rule, "rule");
        for (FaultRule earlier : rules) {
            if (earlier.rule().match().equals(rule.rule().match())) {
                throw new IllegalArgumentException("rule: " + rule + " can never decide, " + earlier
                        + " was added before it for the same " + rule.rule().match().describe());
            }
        }
        rules.add(rule);
        return this;
    }

    /**
     * Adds each of {@code rules} in order, as {@link #withRule} does.
     *
     * @throws NullPointerException     if {@code rules} or one of its elements is null
     * @throws IllegalArgumentException as {@link #withRule} does
     */
    public FaultClassifierBuilder withRules(List<FaultRule> rules) {
        Objects.requireNonNull(rules, "rules");
        for (int i = 0; i < rules.size(); i++) {
            withRule(Objects.requireNonNull(rules.get(i), "rules[" + i + "]"));
        }
        return this;
    }

    /** A new immutable classifier with the dialect and rules given so far. */
    public FaultClassifier build() {
        List<Rule> copy = rules.stream().map(FaultRule::rule).toList();
        return new RuleClassifier(dialect, copy);
    }
}
