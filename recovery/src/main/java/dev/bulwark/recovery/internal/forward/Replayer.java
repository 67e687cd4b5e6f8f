package dev.bulwark.recovery.internal.forward;

import dev.bulwark.core.Fault;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.Health;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.recovery.ForwardEvent;
import dev.bulwark.recovery.ForwardListener;
import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import dev.bulwark.recovery.ReplayReport;
import dev.bulwark.recovery.UnreadableWriteException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies buffered writes in journal order, each exactly once: the write and its idempotency key in the
 * commit ledger commit together, and a key already in the ledger means the write was applied before (by the
 * original attempt or by a replay that crashed before its checkpoint), so it is only checkpointed. One drain
 * runs at a time (the replay thread's or an on-demand one). Thread-safe.
 */
public final class Replayer {

    /**
     * What one drain did and, if it stopped early, at which sequence.
     *
     * @param report    the public report
     * @param stoppedAt the sequence that could not be applied, 0 when none
     */
    public record Outcome(ReplayReport report, long stoppedAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

    private final Journal journal;
    private final WriteApplier applier;
    private final DeadLetters deadLetters;
    private final ForwardListener listener;
    private final Clock clock;
    private final FaultClassifier classifier;
    private final Object drainLock = new Object();

    /** A replayer of {@code journal}'s records through {@code applier}. */
    public Replayer(Journal journal, WriteApplier applier, DeadLetters deadLetters, ForwardListener listener,
            Clock clock, FaultClassifier classifier) {
        this.journal = journal;
        this.classifier = classifier;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Applies buffered writes until the journal is empty, the database is unavailable, or {@code keepGoing}
     * turns false.
     *
     * @throws UnreadableWriteException if a record's write type is not registered (replay cannot go on)
     * @throws IOException              if the journal or the dead-letter directory fails
     */
    public Outcome drain(BooleanSupplier keepGoing) throws IOException {
        synchronized (drainLock) {
            int applied = 0;
            int skipped = 0;
            int dead = 0;
            if (journal.backlog().records() > 0) {
                try {
                    applier.prepare();
                } catch (SQLException e) {
                    return stopped(applied, skipped, dead, classifier.classify(e), journal.checkpointed() + 1);
                }
            }
            try (JournalReader reader = journal.reader(journal.checkpointed() + 1)) {
                for (Optional<JournalRecord> next = reader.next(); next.isPresent() && keepGoing.getAsBoolean();
                        next = reader.next()) {
                    long sequence = next.get().sequence();
                    byte[] payload = next.get().payload();
                    BufferedWrite write = null;
                    WriteApplier.Action action;
                    try {
                        write = WriteFormat.decode(sequence, payload);
                        action = applier.actionOf(sequence, write);
                    } catch (UnreadableWriteException e) {
                        if (write != null && !applier.knows(write)) {
                            throw e; // a missing registration is a deployment error: stop, do not discard
                        }
                        deadLetter(sequence, payload, write == null ? null : write.idempotencyKey(), e.getMessage());
                        dead++;
                        continue;
                    }
                    boolean done;
                    try {
                        done = applier.applyOnce(write.idempotencyKey(), TransactionOptions.defaults(), action);
                    } catch (SQLException e) {
                        Fault fault = classifier.classify(e);
                        if (FaultRouting.databaseUnavailable(e, fault) || !FaultRouting.wouldFailAgain(fault)) {
                            return stopped(applied, skipped, dead, fault, sequence);
                        }
                        deadLetter(sequence, payload, write.idempotencyKey(), fault.kind() + ": " + fault.message());
                        dead++;
                        continue;
                    } catch (RuntimeException e) {
                        // a handler's bug fails the same way every time: keep the write, go on with the next
                        deadLetter(sequence, payload, write.idempotencyKey(), "the write handler threw " + e);
                        dead++;
                        continue;
                    }
                    journal.checkpoint(sequence);
                    if (done) {
                        applied++;
                    } else {
                        skipped++;
                    }
                    listener.onEvent(new ForwardEvent.Replayed(write.idempotencyKey(), sequence, !done,
                            Duration.between(write.bufferedAt(), clock.instant()), journal.backlog().records()));
                }
            }
            long remaining = journal.backlog().records();
            if (remaining == 0 && applied + skipped + dead > 0) {
                listener.onEvent(new ForwardEvent.Drained(journal.checkpointed()));
            }
            return new Outcome(new ReplayReport(applied, skipped, dead, remaining, Optional.empty()), 0);
        }
    }

    /**
     * Whether the replay thread should try now: the data source's health is not DOWN, or it is DOWN only
     * because the breaker is open (then an attempt is cheap: the breaker refuses it or lets its half-open
     * probe through).
     */
    public static boolean worthTrying(BulwarkDataSource dataSource) {
        Health health = dataSource.health();
        if (health.status() != Health.Status.DOWN) {
            return true;
        }
        Health.Component breaker = health.components().get("breaker");
        return breaker != null && breaker.status() == Health.Status.DOWN;
    }

    private Outcome stopped(int applied, int skipped, int dead, Fault fault, long sequence) {
        return new Outcome(new ReplayReport(applied, skipped, dead, journal.backlog().records(), Optional.of(fault)),
                sequence);
    }

    private void deadLetter(long sequence, byte[] payload, String key, String reason) throws IOException {
        var file = deadLetters.keep(sequence, payload, reason);
        LOG.error("buffered write {} at journal sequence {} cannot be applied and was moved to {}: {}", key, sequence,
                file, reason);
        journal.checkpoint(sequence);
        listener.onEvent(new ForwardEvent.DeadLettered(key, sequence, reason, file));
    }
}
