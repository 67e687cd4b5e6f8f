package dev.bulwark.jdbc.cluster.internal;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A position in a primary's replication stream: a PostgreSQL WAL position (LSN), a MariaDB GTID position (one
 * sequence number per replication domain), or {@link #UNKNOWN} (a commit whose position could not be read).
 * Replicas replay positions in order, so "replayed up to A" and "the commit ends at B" compare with
 * {@link #includes}.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Position permits Position.Lsn, Position.Gtid, Position.Unknown {

    /** A commit whose position is not known: no replica is known to have it. */
    Position UNKNOWN = new Unknown();

    /**
     * Whether a host that has replayed up to this position has everything up to {@code commit}.
     * Positions of different kinds (or an unknown one) never include each other.
     */
    boolean includes(Position commit);

    /**
     * The text form: {@code lsn:<hex>}, {@code gtid:<domain>-<server>-<seq>[,...]} or {@code primary}.
     */
    @Override
    String toString();

    /**
     * Reads the text form, or {@code none} (null).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Position parse(String text) {
        if (text.equals("none")) {
            return null;
        }
        if (text.equals("primary")) {
            return UNKNOWN;
        }
        if (text.startsWith("lsn:")) {
            String hex = text.substring(4);
            if (hex.isEmpty() || hex.length() > 16 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("read token '" + text + "': expected lsn: and 1 to 16 hex digits");
            }
            return new Lsn(Long.parseUnsignedLong(hex, 16));
        }
        if (text.startsWith("gtid:")) {
            Gtid gtid = Gtid.parse(text.substring(5));
            if (gtid == null) {
                throw new IllegalArgumentException("read token '" + text + "': no GTID after gtid:");
            }
            return gtid;
        }
        throw new IllegalArgumentException("read token '" + text + "': expected none, primary, lsn:<hex> or "
                + "gtid:<domain>-<server>-<seq>[,...]");
    }

    /**
     * The later of a caller's commit positions: {@code newer} is the position of a commit made after
     * {@code older}'s (on the same primary), so it supersedes it, even an unknown one.
     */
    static Position after(Position older, Position newer) {
        if (older == null || newer == UNKNOWN || !(older.getClass() == newer.getClass())) {
            return newer;
        }
        return union(older, newer);
    }

    /** A position that includes both (for tokens whose order is not known); unknown wins. */
    static Position union(Position a, Position b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a == UNKNOWN || b == UNKNOWN) {
            return UNKNOWN;
        }
        if (a instanceof Lsn x && b instanceof Lsn y) {
            return Long.compareUnsigned(x.value, y.value) >= 0 ? x : y;
        }
        if (a instanceof Gtid x && b instanceof Gtid y) {
            return x.union(y);
        }
        return UNKNOWN; // one cluster speaks one kind; a mix means a token from elsewhere: trust only the primary
    }

    /** A PostgreSQL WAL position. */
    record Lsn(long value) implements Position {

        /**
         * Reads PostgreSQL's {@code pg_lsn} text, such as {@code 0/16B3748}.
         *
         * @throws IllegalArgumentException if it is not one
         */
        public static Lsn ofPgText(String text) {
            int slash = text.indexOf('/');
            if (slash <= 0 || slash == text.length() - 1) {
                throw new IllegalArgumentException("not a pg_lsn: " + text);
            }
            long hi = Long.parseUnsignedLong(text.substring(0, slash), 16);
            long lo = Long.parseUnsignedLong(text.substring(slash + 1), 16);
            if (hi > 0xFFFF_FFFFL || lo > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("not a pg_lsn: " + text);
            }
            return new Lsn(hi << 32 | lo);
        }

        /** The {@code pg_lsn} text of this position. */
        public String pgText() {
            return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL)
                    .toUpperCase();
        }

        @Override
        public boolean includes(Position commit) {
            return commit instanceof Lsn l && Long.compareUnsigned(value, l.value) >= 0;
        }

        @Override
        public String toString() {
            return "lsn:" + Long.toHexString(value).toUpperCase();
        }
    }

    /**
     * A MariaDB GTID position: for each replication domain, the server id and sequence number of its last
     * transaction. Sequence numbers grow within a domain whichever server wrote them.
     *
     * @param domains domain id to {server id, sequence number}
     */
    record Gtid(Map<Long, long[]> domains) implements Position {

        /** Copies the map, sorted by domain. */
        public Gtid {
            TreeMap<Long, long[]> copy = new TreeMap<>();
            domains.forEach((d, v) -> copy.put(d, new long[] {v[0], v[1]}));
            domains = java.util.Collections.unmodifiableMap(copy);
        }

        /**
         * Reads MariaDB's GTID list text ({@code 0-1-42,1-2-7}), or null when it is empty.
         *
         * @throws IllegalArgumentException if it is malformed
         */
        public static Gtid parse(String text) {
            Objects.requireNonNull(text, "text");
            if (text.isBlank()) {
                return null;
            }
            Map<Long, long[]> domains = new TreeMap<>();
            for (String part : text.split(",")) {
                String[] f = part.strip().split("-");
                if (f.length != 3) {
                    throw new IllegalArgumentException("not a GTID (domain-server-seq): '" + part + "'");
                }
                try {
                    long domain = Long.parseUnsignedLong(f[0]);
                    long[] v = {Long.parseUnsignedLong(f[1]), Long.parseUnsignedLong(f[2])};
                    long[] old = domains.put(domain, v);
                    if (old != null && Long.compareUnsigned(old[1], v[1]) > 0) {
                        domains.put(domain, old);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a GTID (domain-server-seq): '" + part + "'");
                }
            }
            return new Gtid(domains);
        }

        /** The sequence number of {@code domain}, or -1 when this position has none. */
        long sequence(long domain) {
            long[] v = domains.get(domain);
            return v == null ? -1 : v[1];
        }

        @Override
        public boolean includes(Position commit) {
            if (!(commit instanceof Gtid g)) {
                return false;
            }
            for (Map.Entry<Long, long[]> e : g.domains.entrySet()) {
                long have = sequence(e.getKey());
                if (have < 0 || Long.compareUnsigned(have, e.getValue()[1]) < 0) {
                    return false;
                }
            }
            return true;
        }

        Gtid union(Gtid other) {
            Map<Long, long[]> merged = new TreeMap<>(domains);
            other.domains.forEach((d, v) -> merged.merge(d, v,
                    (a, b) -> Long.compareUnsigned(a[1], b[1]) >= 0 ? a : b));
            return new Gtid(merged);
        }

        /** The MariaDB GTID list text, as {@code MASTER_GTID_WAIT} takes it. */
        public String listText() {
            StringBuilder out = new StringBuilder();
            domains.forEach((d, v) -> {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(Long.toUnsignedString(d)).append('-').append(Long.toUnsignedString(v[0])).append('-')
                        .append(Long.toUnsignedString(v[1]));
            });
            return out.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Gtid g && g.listText().equals(listText());
        }

        @Override
        public int hashCode() {
            return listText().hashCode();
        }

        @Override
        public String toString() {
            return "gtid:" + listText();
        }
    }

    /** See {@link #UNKNOWN}. */
    final class Unknown implements Position {
        private Unknown() {
        }

        @Override
        public boolean includes(Position commit) {
            return false;
        }

        @Override
        public String toString() {
            return "primary";
        }
    }
}
