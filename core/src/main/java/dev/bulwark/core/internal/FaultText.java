package dev.bulwark.core.internal;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultKind;

/**
 * Builds a {@link Fault} from the rule that decided and the exception it decided on. Messages hold the
 * rule's own words and the codes, never the driver's message text, which can contain row data (pgjdbc:
 * {@code Key (email)=(bob@example.com) already exists}), SQL text or bind values.
 *
 * <p>Stateless and thread-safe.
 */
final class FaultText {

    private FaultText() {
    }

    static Fault of(Rule rule, ChainNode node, String source, String dialect) {
        FaultKind kind = rule.kind();
        String detail = "dialect " + dialect + "; rule " + rule.match().describe() + " (" + source + "); "
                + evidence(node);
        return new Fault(kind, node.sqlState(), node.vendorCode(), KindTraits.retryScope(kind),
                KindTraits.mayHaveTakenEffect(kind), KindTraits.headline(kind) + ": " + rule.why(),
                KindTraits.remedy(kind), detail, node.throwable());
    }

    static Fault unknown(ChainNode node, String why) {
        FaultKind kind = FaultKind.UNKNOWN;
        String codes = node.sqlState() == null ? "" : " (SQLState " + node.sqlState() + ")";
        return new Fault(kind, node.sqlState(), node.vendorCode(), KindTraits.retryScope(kind),
                KindTraits.mayHaveTakenEffect(kind), KindTraits.headline(kind) + ": "
                + node.className() + codes,
                KindTraits.remedy(kind), why + "; " + evidence(node), node.throwable());
    }

    private static String evidence(ChainNode node) {
        return "exception " + node.className() + " at " + node.path()
                + "; SQLState " + node.sqlState() + "; vendor code " + node.vendorCode();
    }
}
