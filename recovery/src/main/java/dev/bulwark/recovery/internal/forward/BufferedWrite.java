package dev.bulwark.recovery.internal.forward;

import dev.bulwark.recovery.SqlWrite;
import java.time.Instant;
import java.util.Objects;

/**
 * A write as the journal holds it: its key, when it was buffered, and either an {@link SqlWrite} or a
 * registered write type's name and encoded body. Immutable; the body is not copied (internal use only).
 *
 * @param idempotencyKey the write's key
 * @param bufferedAt     when the write was accepted (the writer's clock)
 * @param sql            the SQL write, or null for a typed write
 * @param typeName       the write type's name, or null for an SQL write
 * @param body           the codec's bytes, or null for an SQL write
 */
public record BufferedWrite(String idempotencyKey, Instant bufferedAt, SqlWrite sql, String typeName, byte[] body) {

    /** Checks that exactly one of the two forms is given. */
    public BufferedWrite {
        IdempotencyKey.check(idempotencyKey);
        Objects.requireNonNull(bufferedAt, "bufferedAt");
        if ((sql == null) == (typeName == null) || (typeName == null) != (body == null)) {
            throw new IllegalArgumentException("a buffered write is either SQL or a typed write with a body");
        }
    }

    /** An SQL write buffered at {@code at}. */
    public static BufferedWrite of(SqlWrite sql, Instant at) {
        return new BufferedWrite(sql.idempotencyKey(), at, sql, null, null);
    }

    /** A typed write buffered at {@code at}. */
    public static BufferedWrite typed(String key, String typeName, byte[] body, Instant at) {
        return new BufferedWrite(key, at, null, typeName, body);
    }
}
