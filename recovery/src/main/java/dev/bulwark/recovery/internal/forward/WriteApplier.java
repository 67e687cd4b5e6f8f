package dev.bulwark.recovery.internal.forward;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.UnreadableWriteException;
import dev.bulwark.recovery.WriteType;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Applies one write as one unit of work: claims its idempotency key in the commit ledger and runs the write
 * in the same transaction, or does nothing when the key is already there. Thread-safe.
 */
public final class WriteApplier {

    /** The body of one write, bound to its connection inside the unit. */
    @FunctionalInterface
    public interface Action {
        /** Runs the write. */
        void run(Connection connection) throws SQLException;
    }

    private final BulwarkDataSource dataSource;
    private final Ledger ledger;
    private final Map<String, WriteType<?>> types;

    /** An applier writing through {@code dataSource} with the registered {@code types}. */
    public WriteApplier(BulwarkDataSource dataSource, Ledger ledger, Map<String, WriteType<?>> types) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.types = Map.copyOf(types);
    }

    /**
     * Runs {@code action} under {@code key} once; returns false (and does nothing) when the ledger already holds
     * the key.
     *
     * @throws SQLException the unit's classified failure
     */
    public boolean applyOnce(String key, TransactionOptions options, Action action) throws SQLException {
        ledger.ensure(dataSource, options.deadline());
        return dataSource.inTransaction(options, c -> {
            if (!ledger.claim(c, key)) {
                return false;
            }
            action.run(c);
            return true;
        });
    }

    /**
     * Creates the ledger table if needed and checks it; once per process.
     *
     * @throws SQLException the classified failure
     */
    public void prepare() throws SQLException {
        ledger.ensure(dataSource, java.util.Optional.empty());
    }

    /** Whether a buffered write's type is registered (SQL writes always are). */
    public boolean knows(BufferedWrite write) {
        return write.sql() != null || types.containsKey(write.typeName());
    }

    /**
     * The action of a buffered write read back from journal record {@code sequence}.
     *
     * @throws UnreadableWriteException if its type is not registered or its codec cannot decode it
     */
    public Action actionOf(long sequence, BufferedWrite write) throws UnreadableWriteException {
        if (write.sql() != null) {
            return sqlAction(write.sql());
        }
        WriteType<?> type = types.get(write.typeName());
        if (type == null) {
            throw new UnreadableWriteException(sequence, "write type '" + write.typeName() + "' is not registered"
                    + " (registered: " + types.keySet() + "); register it with StoreAndForward.Builder.withType",
                    null);
        }
        return typedAction(sequence, type, write.body());
    }

    private static <T> Action typedAction(long sequence, WriteType<T> type, byte[] body)
            throws UnreadableWriteException {
        T value;
        try {
            value = type.codec().decode(body);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableWriteException(sequence, "the codec of write type '" + type.name()
                    + "' cannot decode it: " + e.getMessage(), e);
        }
        return c -> type.handler().apply(c, value);
    }

    /** The action running one SQL write. */
    public static Action sqlAction(SqlWrite write) {
        return c -> {
            List<Object> parameters = write.parameters();
            try (PreparedStatement s = c.prepareStatement(write.sql())) {
                for (int i = 0; i < parameters.size(); i++) {
                    SqlParameter.bind(s, i + 1, parameters.get(i));
                }
                s.executeUpdate();
            }
        };
    }
}
