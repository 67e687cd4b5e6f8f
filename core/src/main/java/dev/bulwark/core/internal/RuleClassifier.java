package dev.bulwark.core.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.FaultKind;
import dev.bulwark.core.Rejection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classification engine behind {@link dev.bulwark.core.Faults}.
 *
 * <p>Which exception of the chain decides (the chain in {@link ChainWalker}'s order):
 * <ol>
 *   <li>the user's rules: the first exception that one of them matches (rules tried in the order given);</li>
 *   <li>codes: the first exception that is a refusal by Bulwark or Resilience4j, or whose vendor code,
 *       exact SQLState or SQLState class a rule of its dialect (then of the generic table) knows;</li>
 *   <li>type hints: the first exception whose type a rule of {@link TypeRules#HINTS} knows;</li>
 *   <li>otherwise {@link FaultKind#UNKNOWN}.</li>
 * </ol>
 * A code anywhere in the chain beats a type hint anywhere, because a code is the more specific evidence.
 *
 * <p>Immutable and thread-safe.
 */
public final class RuleClassifier implements FaultClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(RuleClassifier.class);

    private final Dialect dialect;
    private final List<Rule> userRules;

    /**
     * @param dialect   the dialect of every exception, or {@code null} to infer it per exception with
     *                  {@link Dialect#inferFrom}
     * @param userRules rules consulted before the built-in ones
     */
    public RuleClassifier(Dialect dialect, List<Rule> userRules) {
        this.dialect = dialect;
        this.userRules = List.copyOf(userRules);
    }

    @Override
    public Fault classify(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        try {
            return decide(failure);
        } catch (RuntimeException | StackOverflowError e) {
            // a foreign exception class misbehaved in a way the walker did not guard; the contract is
            // never to throw, so report it and fall back to UNKNOWN
            LOG.warn("Classifying {} failed; treating it as UNKNOWN", failure.getClass().getName(), e);
            return FaultText.unknown(new ChainNode(failure, null, 0, "failure", 0), "classifier failure");
        }
    }

    private Fault decide(Throwable failure) {
        List<ChainNode> nodes = ChainWalker.walk(failure);
        for (ChainNode node : nodes) {
            for (int i = 0; i < userRules.size(); i++) {
                Rule rule = userRules.get(i);
                if (rule.matches(node)) {
                    return FaultText.of(rule, node, "user rule #" + (i + 1), dialectLabel(node));
                }
            }
        }
        for (ChainNode node : nodes) {
            Rule rejection = TypeRules.first(TypeRules.REJECTIONS, node);
            if (rejection != null) {
                return FaultText.of(rejection, node, "Bulwark refusal" + policy(node), "-");
            }
            if (!node.isSqlException()) {
                continue;
            }
            Dialect d = dialectOf(node);
            Rule rule = RuleTable.of(d).lookup(node);
            String table = d.name();
            if (rule == null && d != Dialect.GENERIC) {
                rule = RuleTable.of(Dialect.GENERIC).lookup(node);
                table = Dialect.GENERIC.name();
            }
            if (rule != null) {
                return FaultText.of(rule, node, "built-in " + table + " table", d.name());
            }
        }
        for (ChainNode node : nodes) {
            Rule hint = TypeRules.first(TypeRules.HINTS, node);
            if (hint != null) {
                return FaultText.of(hint, node, "type hint", dialectLabel(node));
            }
        }
        ChainNode withCodes = nodes.stream()
                .filter(n -> n.sqlState() != null || n.vendorCode() != 0)
                .findFirst().orElse(nodes.get(0));
        return FaultText.unknown(withCodes, "no rule matched " + nodes.size() + " exception(s); dialect "
                + dialectLabel(withCodes));
    }

    private Dialect dialectOf(ChainNode node) {
        return dialect != null ? dialect : Dialect.inferFrom(node.throwable());
    }

    private String dialectLabel(ChainNode node) {
        return node.isSqlException() ? dialectOf(node).name() : "-";
    }

    private static String policy(ChainNode node) {
        if (!(node.throwable() instanceof Rejection rejection)) {
            return "";
        }
        try {
            return " by policy '" + rejection.policyName() + "'";
        } catch (RuntimeException e) {
            LOG.debug("policyName() of {} threw; leaving it out", node.className(), e);
            return "";
        }
    }
}
