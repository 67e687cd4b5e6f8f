package dev.bulwark.core.internal;

import dev.bulwark.core.Dialect;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in rules of one dialect, looked up by the most specific evidence first: vendor code,
 * then exact SQLState, then SQLState class.
 *
 * <p>Immutable and thread-safe.
 */
public final class RuleTable {

    private final Dialect dialect;
    private final List<Rule> rules;
    private final Map<Integer, Rule> byVendorCode = new HashMap<>();
    private final Map<String, Rule> bySqlState = new HashMap<>();
    private final Map<String, Rule> bySqlStateClass = new HashMap<>();

    /**
     * @throws IllegalArgumentException if two rules match the same evidence, or a rule matches an
     *                                  exception type (type rules live in {@link TypeRules})
     */
    public RuleTable(Dialect dialect, List<Rule> rules) {
        this.dialect = dialect;
        this.rules = List.copyOf(rules);
        for (Rule rule : this.rules) {
            Rule previous;
            if (rule.match() instanceof Rule.VendorCode v) {
                previous = byVendorCode.put(v.value(), rule);
            } else if (rule.match() instanceof Rule.SqlState s) {
                previous = bySqlState.put(s.value(), rule);
            } else if (rule.match() instanceof Rule.SqlStateClass c) {
                previous = bySqlStateClass.put(c.value(), rule);
            } else {
                throw new IllegalArgumentException(
                        dialect + " table: type rules belong in TypeRules, not " + rule.match().describe());
            }
            if (previous != null) {
                throw new IllegalArgumentException(dialect + " table: two rules for " + rule.match().describe());
            }
        }
    }

    /** The built-in table of {@code dialect}. */
    public static RuleTable of(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> PostgresRules.TABLE;
            case MYSQL -> MySqlRules.TABLE;
            case SQLITE -> SqliteRules.TABLE;
            case H2 -> H2Rules.TABLE;
            case GENERIC -> GenericRules.TABLE;
        };
    }

    /** The dialect these rules are for. */
    public Dialect dialect() {
        return dialect;
    }

    /** The rules in declaration order, for the documentation. */
    public List<Rule> rules() {
        return rules;
    }

    /** The rule that decides {@code node}, or {@code null}. */
    public Rule lookup(ChainNode node) {
        if (node.isSqlException() && node.vendorCode() != 0) {
            Rule rule = byVendorCode.get(node.vendorCode());
            if (rule != null) {
                return rule;
            }
        }
        String state = node.sqlState();
        if (state == null) {
            return null;
        }
        Rule rule = bySqlState.get(state);
        if (rule == null && state.length() >= 2) {
            rule = bySqlStateClass.get(state.substring(0, 2));
        }
        return rule;
    }
}
