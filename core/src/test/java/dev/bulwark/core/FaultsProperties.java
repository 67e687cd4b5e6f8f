package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.internal.KindTraits;
import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Classification is total (never throws, always a kind consistent with its retry scope) and stable
 * (the same input, or an identically built one, gives the same fault) over generated exception graphs:
 * random SQLStates (null, garbage, real), vendor codes, exception types, and links through cause, next
 * exception and suppressed, cycles included. jqwik prints the seed of a failing run.
 */
class FaultsProperties {

    private static final List<String> KNOWN_STATES = List.of("40001", "40P01", "08006", "08007", "23505",
            "25006", "53300", "57014", "57P01", "HYT00", "XX001", "42601", "HY000", "00000");

    @Property(tries = 500)
    void classificationIsTotal(@ForAll("graphs") Graph graph, @ForAll("classifiers") FaultClassifier classifier) {
        Throwable root = graph.build();
        Fault fault = classifier.classify(root);
        assertThat(fault).isNotNull();
        assertThat(fault.kind()).isNotNull();
        assertThat(fault.retryScope()).isEqualTo(KindTraits.retryScope(fault.kind()));
        assertThat(fault.mayHaveTakenEffect()).isEqualTo(KindTraits.mayHaveTakenEffect(fault.kind()));
        assertThat(fault.message()).isNotBlank().doesNotContain("\n").doesNotContain(Graph.SECRET);
        assertThat(fault.detail()).doesNotContain(Graph.SECRET);
        assertThat(fault.cause()).isNotNull();
    }

    @Property(tries = 300)
    void classificationIsStable(@ForAll("graphs") Graph graph, @ForAll("classifiers") FaultClassifier classifier) {
        Throwable root = graph.build();
        Fault first = classifier.classify(root);
        Fault again = classifier.classify(root);
        Fault rebuilt = classifier.classify(graph.build());
        for (Fault other : List.of(again, rebuilt)) {
            assertThat(other.kind()).isEqualTo(first.kind());
            assertThat(other.retryScope()).isEqualTo(first.retryScope());
            assertThat(other.sqlState()).isEqualTo(first.sqlState());
            assertThat(other.vendorCode()).isEqualTo(first.vendorCode());
            assertThat(other.message()).isEqualTo(first.message());
        }
        assertThat(again.cause()).isSameAs(first.cause());
    }

    @Provide
    Arbitrary<FaultClassifier> classifiers() {
        Arbitrary<FaultClassifier> byDialect = Arbitraries.of(Dialect.values()).map(Faults::forDialect);
        Arbitrary<FaultClassifier> withRule = Arbitraries.of(FaultKind.values())
                .map(kind -> Faults.custom().withRule(FaultRule.onSqlState("40001", kind))
                        .withRule(FaultRule.onException(IOException.class, kind)).build());
        return Arbitraries.oneOf(Arbitraries.just(Faults::classify), byDialect, withRule);
    }

    @Provide
    Arbitrary<Graph> graphs() {
        Arbitrary<String> states = Arbitraries.oneOf(
                Arbitraries.of(KNOWN_STATES),
                Arbitraries.strings().withCharRange('0', 'Z').ofLength(5),
                Arbitraries.strings().ofMaxLength(7),
                Arbitraries.just(null));
        Arbitrary<Integer> codes = Arbitraries.oneOf(Arbitraries.of(0, 5, 19, 1205, 1213, 1290, 50200),
                Arbitraries.integers());
        Arbitrary<NodeSpec> nodes = Combinators.combine(Arbitraries.of(Type.values()), states, codes)
                .as(NodeSpec::new);
        Arbitrary<Edge> edges = Combinators.combine(Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 11), Arbitraries.of(Link.values())).as(Edge::new);
        return Combinators.combine(nodes.list().ofMinSize(1).ofMaxSize(12), edges.list().ofMaxSize(30))
                .as(Graph::new);
    }

    enum Type { LINKED_SQL, LINKED_RUNTIME, HOSTILE, TIMEOUT, IO, SOCKET, REJECTION }

    enum Link { CAUSE, NEXT, SUPPRESSED }

    record NodeSpec(Type type, String sqlState, int vendorCode) {
    }

    record Edge(int from, int to, Link link) {
    }

    /** A recipe for an exception graph; {@link #build()} makes a fresh, identical graph each time. */
    record Graph(List<NodeSpec> nodes, List<Edge> edges) {
        static final String SECRET = "Key (email)=(bob@example.com)";

        Throwable build() {
            List<Throwable> built = new ArrayList<>();
            for (NodeSpec spec : nodes) {
                built.add(create(spec));
            }
            for (Edge edge : edges) {
                Throwable from = built.get(edge.from() % built.size());
                Throwable to = built.get(edge.to() % built.size());
                link(from, to, edge.link());
            }
            return built.get(0);
        }

        private static Throwable create(NodeSpec spec) {
            return switch (spec.type()) {
                case LINKED_SQL -> new LinkedSql(spec.sqlState(), spec.vendorCode());
                case LINKED_RUNTIME -> new LinkedRuntime();
                case HOSTILE -> new Hostile(spec.sqlState(), spec.vendorCode());
                case TIMEOUT -> new SQLTimeoutException(SECRET, spec.sqlState(), spec.vendorCode());
                case IO -> new IOException(SECRET);
                case SOCKET -> new SocketException(SECRET);
                case REJECTION -> new Refused(spec.sqlState());
            };
        }

        private static void link(Throwable from, Throwable to, Link link) {
            switch (link) {
                case CAUSE -> {
                    if (from instanceof LinkedSql sql) {
                        sql.cause = to;
                    } else if (from instanceof LinkedRuntime runtime) {
                        runtime.cause = to;
                    }
                }
                case NEXT -> {
                    if (from instanceof LinkedSql sql) {
                        sql.next = to instanceof SQLException next ? next : null;
                    }
                }
                case SUPPRESSED -> {
                    if (from != to) {
                        from.addSuppressed(to);
                    }
                }
            }
        }
    }

    /** A SQLException whose cause and next exception may form any graph, cycles included. */
    static final class LinkedSql extends SQLException {
        Throwable cause;
        SQLException next;

        LinkedSql(String sqlState, int vendorCode) {
            super(Graph.SECRET, sqlState, vendorCode);
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }

        @Override
        public SQLException getNextException() {
            return next;
        }
    }

    /** A RuntimeException whose cause may point anywhere, itself included. */
    static final class LinkedRuntime extends RuntimeException {
        Throwable cause;

        LinkedRuntime() {
            super(Graph.SECRET);
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }
    }

    /** A driver exception whose accessors throw. */
    static final class Hostile extends SQLException {
        Hostile(String sqlState, int vendorCode) {
            super(Graph.SECRET, sqlState, vendorCode);
        }

        @Override
        public String getSQLState() {
            throw new IllegalStateException("hostile getSQLState");
        }

        @Override
        public SQLException getNextException() {
            throw new IllegalStateException("hostile getNextException");
        }

        @Override
        public synchronized Throwable getCause() {
            throw new IllegalStateException("hostile getCause");
        }
    }

    /** A Bulwark refusal carrying a SQLState, as the circuit-open exception does. */
    static final class Refused extends SQLException implements Rejection {
        Refused(String sqlState) {
            super(Graph.SECRET, sqlState);
        }

        @Override
        public String policyName() {
            return "generated";
        }
    }
}
