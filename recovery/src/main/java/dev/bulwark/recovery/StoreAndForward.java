package dev.bulwark.recovery;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.core.Faults;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.Health;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.recovery.internal.forward.BufferedWrite;
import dev.bulwark.recovery.internal.forward.DeadLetters;
import dev.bulwark.recovery.internal.forward.FaultRouting;
import dev.bulwark.recovery.internal.forward.IdempotencyKey;
import dev.bulwark.recovery.internal.forward.JournalHealth;
import dev.bulwark.recovery.internal.forward.Ledger;
import dev.bulwark.recovery.internal.forward.ReplayThread;
import dev.bulwark.recovery.internal.forward.Replayer;
import dev.bulwark.recovery.internal.forward.WriteApplier;
import dev.bulwark.recovery.internal.forward.WriteFormat;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes that survive a database outage: each write is committed at once while the database is available,
 * and buffered in a local {@link Journal} while it is not, to be applied later, exactly once and in order.
 *
 * <pre>{@code
 * try (StoreAndForward writer = StoreAndForward.builder(dataSource, config).withListener(events::add).open()) {
 *     writer.start();                                           // the background replay thread
 *     WriteResult result = writer.write(SqlWrite.of("order-42",
 *             "INSERT INTO orders (id, total) VALUES (?, ?)", 42, new BigDecimal("9.90")));
 *     if (result instanceof WriteResult.Buffered buffered) { ... }  // durable locally, not committed yet
 * }
 * }</pre>
 *
 * <p>Each write carries an idempotency key; it is recorded in the commit ledger table in the same transaction
 * as the write, so a write whose key is there was applied, and is never applied again (see
 * {@code docs/recovery.md}, "Store-and-forward"). While the journal holds buffered writes, new writes are
 * buffered behind them rather than overtaking them.
 *
 * <p>Thread-safe: any number of threads may write; replay runs on one daemon thread ({@link #start()}) or on
 * the caller's thread ({@link #drain()}), one drain at a time. The journal directory is locked by one writer
 * at a time, across processes.
 */
public final class StoreAndForward implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAndForward.class);

    private final BulwarkDataSource dataSource;
    private final StoreAndForwardConfig config;
    private final Journal journal;
    private final Map<String, WriteType<?>> types;
    private final ForwardListener listener;
    private final WriteApplier applier;
    private final Replayer replayer;
    private final ReplayThread thread;
    private final TransactionOptions directOptions;
    private final FaultClassifier classifier;

    private StoreAndForward(Builder b, Journal journal) {
        this.dataSource = b.dataSource;
        this.config = b.config;
        this.journal = journal;
        this.types = Map.copyOf(b.types);
        this.listener = safe(dataSource.name(), b.listener);
        this.classifier = b.classifier;
        this.applier = new WriteApplier(dataSource, new Ledger(config.ledgerTable(), config.createLedger()), types);
        this.replayer = new Replayer(journal, applier, new DeadLetters(config.deadLetterDirectory()), listener,
                config.clock(), classifier);
        this.thread = new ReplayThread(dataSource.name() + "-replay", replayer, journal, dataSource, listener,
                config.minBackoff(), config.maxBackoff());
        TransactionOptions.Builder options = TransactionOptions.builder();
        config.writeDeadline().ifPresent(options::withDeadline);
        this.directOptions = options.build();
    }

    /**
     * Returns a builder for a writer on {@code dataSource} with {@code config}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(BulwarkDataSource dataSource, StoreAndForwardConfig config) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(config, "config"));
    }

    /**
     * Commits an SQL write now, or buffers it when the database is unavailable or older writes are buffered.
     *
     * @throws SQLException  the classified failure when the write itself is at fault (a constraint violation, a
     *                       programming error, a permission) or the database refused it for another reason that
     *                       a later replay would not fix; nothing is buffered then
     * @throws JournalFullException if the write had to be buffered but the journal is full (the database's
     *                       failure is attached as suppressed)
     * @throws IOException   if the write had to be buffered and the journal failed
     */
    public WriteResult write(SqlWrite write) throws SQLException, IOException {
        Objects.requireNonNull(write, "write");
        byte[] payload = WriteFormat.encode(BufferedWrite.of(write, config.clock().instant()));
        return write(write.idempotencyKey(), payload, WriteApplier.sqlAction(write));
    }

    /**
     * Commits a write of a registered type now, or buffers it as {@link #write(SqlWrite)} does.
     *
     * @throws IllegalArgumentException if {@code type} was not registered with {@link Builder#withType}, the key
     *                                  breaks its rule, or the codec refuses the write
     * @throws SQLException             as {@link #write(SqlWrite)}
     * @throws IOException              as {@link #write(SqlWrite)}
     */
    public <T> WriteResult write(WriteType<T> type, String idempotencyKey, T write) throws SQLException, IOException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(write, "write");
        IdempotencyKey.check(idempotencyKey);
        if (!type.equals(types.get(type.name()))) {
            throw new IllegalArgumentException("write type '" + type.name() + "' is not registered with this writer;"
                    + " register it with StoreAndForward.Builder.withType so buffered writes can be replayed");
        }
        byte[] body = Objects.requireNonNull(type.codec().encode(write), "codec returned null");
        byte[] payload = WriteFormat.encode(BufferedWrite.typed(idempotencyKey, type.name(), body,
                config.clock().instant()));
        return write(idempotencyKey, payload, c -> type.handler().apply(c, write));
    }

    private WriteResult write(String key, byte[] payload, WriteApplier.Action action)
            throws SQLException, IOException {
        if (journal.backlog().records() > 0) {
            return buffer(key, payload, null, null); // older writes wait: this one must not overtake them
        }
        try {
            boolean applied = applier.applyOnce(key, directOptions, action);
            return applied ? new WriteResult.Committed(key) : new WriteResult.AlreadyApplied(key);
        } catch (SQLException e) {
            Fault fault = classifier.classify(e);
            if (!FaultRouting.databaseUnavailable(e, fault)) {
                throw e;
            }
            return buffer(key, payload, fault, e);
        }
    }

    private WriteResult buffer(String key, byte[] payload, Fault cause, SQLException failure) throws IOException {
        long sequence;
        try {
            sequence = journal.append(payload);
        } catch (IOException | RuntimeException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        listener.onEvent(new ForwardEvent.Buffered(key, sequence, cause));
        thread.wake();
        return new WriteResult.Buffered(key, sequence);
    }

    /** Starts the background replay thread (one daemon thread); idempotent. */
    public void start() {
        thread.start();
    }

    /** Stops the replay thread after the write it is applying; buffered writes stay in the journal. */
    public void stop() {
        thread.stop();
    }

    /**
     * Applies buffered writes now, on the caller's thread, until the journal is empty or the database is
     * unavailable (then {@link ReplayReport#stoppedBy()} says why). Waits while another drain runs.
     *
     * @throws UnreadableWriteException if a record's write type is not registered: register it and retry
     * @throws IOException              if the journal or the dead-letter directory fails
     */
    public ReplayReport drain() throws IOException {
        return replayer.drain(() -> true).report();
    }

    /** Returns the buffered writes not yet applied: records and bytes in the journal. */
    public JournalBacklog backlog() {
        return journal.backlog();
    }

    /**
     * Returns the data source's health with a {@code journal} component added: UP with an empty backlog,
     * DEGRADED while writes are buffered, with records, bytes, the oldest write's age, and whether replay runs.
     */
    public Health health() {
        Map<String, Health.Component> components = new LinkedHashMap<>(dataSource.health().components());
        components.put("journal", journalHealth());
        return Health.of(components);
    }

    /** Returns the {@code journal} component of {@link #health()} alone (no database probe). */
    public Health.Component journalHealth() {
        return JournalHealth.of(journal, thread.isRunning(), config.clock());
    }

    /** Stops the replay thread and closes the journal; idempotent. */
    @Override
    public void close() throws IOException {
        thread.stop();
        journal.close();
    }

    private static ForwardListener safe(String name, ForwardListener listener) {
        if (listener == null) {
            return event -> { };
        }
        return event -> {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("{}: store-and-forward listener failed on {}", name, event.getClass().getSimpleName(), e);
            }
        };
    }

    /** Builds a {@link StoreAndForward}. Not thread-safe. */
    public static final class Builder {

        private final BulwarkDataSource dataSource;
        private final StoreAndForwardConfig config;
        private final Map<String, WriteType<?>> types = new LinkedHashMap<>();
        private ForwardListener listener;
        private FaultClassifier classifier = Faults::classify;

        private Builder(BulwarkDataSource dataSource, StoreAndForwardConfig config) {
            this.dataSource = dataSource;
            this.config = config;
        }

        /**
         * Registers a write type, so that writes of it can be buffered and replayed.
         *
         * @throws IllegalArgumentException if another type with the same name is registered
         * @throws NullPointerException     if {@code type} is null
         */
        public Builder withType(WriteType<?> type) {
            Objects.requireNonNull(type, "type");
            if (types.containsKey(type.name()) && types.get(type.name()) != type) {
                throw new IllegalArgumentException("write type '" + type.name() + "' is registered twice");
            }
            types.put(type.name(), type);
            return this;
        }

        /**
         * Sets the listener receiving {@link ForwardEvent}s.
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Builder withListener(ForwardListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Sets the classifier deciding which failures buffer a write (default {@link Faults#classify}); pass the
         * one given to the data source if it has rules of its own.
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Builder withClassifier(FaultClassifier value) {
            this.classifier = Objects.requireNonNull(value, "classifier");
            return this;
        }

        /**
         * Opens the journal and returns the writer; the replay thread is not started ({@link #start()}).
         *
         * @throws JournalCorruptedException if the journal is damaged
         * @throws JournalException          if the journal directory cannot be used or is locked
         * @throws IOException               if the journal cannot be read
         */
        public StoreAndForward open() throws IOException {
            return new StoreAndForward(this, Journal.open(config.journal()));
        }
    }
}
