package dev.bulwark.jdbc.cluster;

import dev.bulwark.jdbc.cluster.internal.Position;
import java.util.Objects;

/**
 * Where a caller's last commit is in the primary's replication stream (a PostgreSQL WAL position, a MariaDB
 * GTID position), for read-your-writes across threads: a read-only unit given a token runs on a replica only
 * once that replica has replayed the commit, else on the primary.
 *
 * <pre>{@code
 * db.inTransaction(c -> placeOrder(c, order));
 * ReadToken token = db.readToken();              // this thread's last commit
 * // ... on another thread, or in the next request (token.toString() fits a header or cookie):
 * db.adopt(ReadToken.parse(text));               // this thread's read-only units now see that commit
 * }</pre>
 *
 * <p>Immutable and thread-safe. The text form is {@code none}, {@code primary} (a commit whose position could not
 * be read: reads go to the primary), {@code lsn:<hex>} or {@code gtid:<domain>-<server>-<seq>[,...]}. A token
 * says nothing about the data, only about positions; tokens of another cluster mean nothing here.
 */
public final class ReadToken {

    /** No commit to wait for. */
    public static final ReadToken NONE = new ReadToken("none");

    private final String text;

    private ReadToken(String text) {
        this.text = text;
    }

    /**
     * The token written as {@code text} (by {@link #toString()}).
     *
     * @throws NullPointerException     if {@code text} is null
     * @throws IllegalArgumentException if {@code text} is not a token, saying what is wrong
     */
    public static ReadToken parse(String text) {
        Objects.requireNonNull(text, "text");
        Position position = Position.parse(text);
        return position == null ? NONE : new ReadToken(position.toString());
    }

    /** Whether this token asks for nothing. */
    public boolean isNone() {
        return this == NONE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReadToken t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The text form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return text;
    }
}
