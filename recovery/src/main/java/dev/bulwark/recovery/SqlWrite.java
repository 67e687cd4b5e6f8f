package dev.bulwark.recovery;

import dev.bulwark.recovery.internal.forward.IdempotencyKey;
import dev.bulwark.recovery.internal.forward.SqlParameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A write given as one SQL statement with positional parameters, which {@link StoreAndForward} can buffer in
 * its own format (see {@code docs/recovery.md}, "Store-and-forward").
 *
 * <p>Parameters are limited to types every driver binds the same way: {@code null}, {@link String},
 * {@link Short}, {@link Integer}, {@link Long}, {@link java.math.BigDecimal}, {@link Double}, {@link Float},
 * {@link Boolean}, {@code byte[]}, {@link java.sql.Timestamp} (kept as an instant), {@link java.sql.Date},
 * {@link java.time.LocalDate} and {@link java.time.LocalDateTime}.
 *
 * <p>Immutable and thread-safe: byte arrays are copied on the way in and out.
 *
 * @param idempotencyKey identifies the write for exactly-once application: 1 to 64 letters, digits or
 *                       {@code _ . : -}; two writes with the same key are applied once
 * @param sql            the statement, run with {@code PreparedStatement.executeUpdate}
 * @param parameters     the values bound to {@code ?} 1, 2, ... in order
 */
public record SqlWrite(String idempotencyKey, String sql, List<Object> parameters) {

    /**
     * Creates a write.
     *
     * @throws IllegalArgumentException if the key breaks its rule, the SQL is blank, or a parameter has a type
     *                                  not listed above (naming its position and type, never its value)
     * @throws NullPointerException     if the key, the SQL or the list is null
     */
    public SqlWrite {
        IdempotencyKey.check(idempotencyKey);
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(parameters, "parameters");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("SqlWrite '" + idempotencyKey + "': the SQL is blank");
        }
        List<Object> copy = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            SqlParameter.check(idempotencyKey, i + 1, value);
            copy.add(value instanceof byte[] bytes ? bytes.clone() : value);
        }
        parameters = Collections.unmodifiableList(copy);
    }

    /**
     * Returns a write binding {@code parameters} in order.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static SqlWrite of(String idempotencyKey, String sql, Object... parameters) {
        return new SqlWrite(idempotencyKey, sql, Arrays.asList(parameters));
    }

    /** Returns the parameters; byte arrays are copies. */
    @Override
    public List<Object> parameters() {
        List<Object> copy = new ArrayList<>(parameters.size());
        for (Object value : parameters) {
            copy.add(value instanceof byte[] bytes ? bytes.clone() : value);
        }
        return Collections.unmodifiableList(copy);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SqlWrite that) || !idempotencyKey.equals(that.idempotencyKey) || !sql.equals(that.sql)
                || parameters.size() != that.parameters.size()) {
            return false;
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (!Objects.deepEquals(parameters.get(i), that.parameters.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = Objects.hash(idempotencyKey, sql);
        for (Object value : parameters) {
            hash = hash * 31 + (value instanceof byte[] bytes ? Arrays.hashCode(bytes) : Objects.hashCode(value));
        }
        return hash;
    }

    /** Names the key and the parameter count; never the SQL's bind values. */
    @Override
    public String toString() {
        return "SqlWrite[idempotencyKey=" + idempotencyKey + ", parameters=" + parameters.size() + "]";
    }
}
