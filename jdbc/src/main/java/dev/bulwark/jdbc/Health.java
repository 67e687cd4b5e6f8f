package dev.bulwark.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a data source's health: an overall status and the components it was derived from
 * (connectivity probe, circuit breaker, pool, journal backlog).
 *
 * <p>Immutable and thread-safe. {@link #toJson()} renders it for a health endpoint.
 *
 * @param status     the overall status: the worst of the components
 * @param components each component's status and details, in a stable order
 */
public record Health(Status status, Map<String, Component> components) {

    /** Overall or component status, from best to worst. */
    public enum Status { UP, DEGRADED, DOWN }

    /**
     * One component of a health report.
     *
     * @param status  the component's status
     * @param details facts for operators (numbers, states, a masked URL); never credentials
     */
    public record Component(Status status, Map<String, Object> details) {
        /** Copies the details, keeping their order. */
        public Component {
            Objects.requireNonNull(status, "status");
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    /** Copies the components, keeping their order. */
    public Health {
        Objects.requireNonNull(status, "status");
        components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /** A health whose status is the worst of {@code components}' (UP when there are none). */
    public static Health of(Map<String, Component> components) {
        Status worst = Status.UP;
        for (Component c : components.values()) {
            if (c.status().compareTo(worst) > 0) {
                worst = c.status();
            }
        }
        return new Health(worst, components);
    }

    /** This health as a JSON object: {@code {"status":"UP","components":{"breaker":{"status":..., ...}}}}. */
    public String toJson() {
        StringBuilder out = new StringBuilder("{\"status\":\"").append(status).append("\",\"components\":{");
        boolean first = true;
        for (Map.Entry<String, Component> e : components.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(":{\"status\":\"").append(e.getValue().status()).append('"');
            for (Map.Entry<String, Object> d : e.getValue().details().entrySet()) {
                out.append(',');
                string(out, d.getKey());
                out.append(':');
                value(out, d.getValue());
            }
            out.append('}');
        }
        return out.append("}}").toString();
    }

    private static void value(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else {
            string(out, v.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
