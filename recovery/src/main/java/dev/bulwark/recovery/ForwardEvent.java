package dev.bulwark.recovery;

import dev.bulwark.core.Fault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a {@link StoreAndForward} did: buffered a write, replayed one, paused replay, dead-lettered a write,
 * drained its backlog. Delivered to a {@link ForwardListener} on the thread that did it.
 *
 * <p>Immutable and thread-safe. Events never carry bind values or write bodies.
 */
public sealed interface ForwardEvent {

    /**
     * A write was appended to the journal instead of being committed.
     *
     * @param idempotencyKey the write's key
     * @param sequence       its journal sequence number
     * @param cause          the fault that kept it from the database, or null when older writes were waiting
     */
    record Buffered(String idempotencyKey, long sequence, Fault cause) implements ForwardEvent {
    }

    /**
     * A buffered write was replayed and its journal record checkpointed.
     *
     * @param idempotencyKey the write's key
     * @param sequence       its journal sequence number
     * @param alreadyApplied true when the ledger held the key (applied before a crash or by the original
     *                       attempt whose commit outcome was unknown), so nothing was done
     * @param lag            how long the write waited in the journal
     * @param backlog        records left in the journal after this one
     */
    record Replayed(String idempotencyKey, long sequence, boolean alreadyApplied, Duration lag, long backlog)
            implements ForwardEvent {
    }

    /**
     * Replay stopped for now because the database is unavailable (or a write failed in a way worth retrying);
     * it resumes after {@code backoff}.
     *
     * @param sequence the record that could not be applied, or 0 when the health check failed
     * @param cause    the fault, or null when the data source's health was DOWN
     * @param backoff  the wait before the next attempt
     * @param backlog  records waiting in the journal
     */
    record ReplayPaused(long sequence, Fault cause, Duration backoff, long backlog) implements ForwardEvent {
    }

    /**
     * A buffered write failed at replay in a way that would fail again (a constraint violation, a programming
     * error, an unreadable record): it was copied to the dead-letter directory and checkpointed, and replay
     * went on with the next write.
     *
     * @param idempotencyKey the write's key, or null when the record could not be read
     * @param sequence       its journal sequence number
     * @param reason         the fault's or the decoder's message
     * @param file           the dead-letter file holding the record's payload
     */
    record DeadLettered(String idempotencyKey, long sequence, String reason, Path file) implements ForwardEvent {
    }

    /**
     * Replay has applied every buffered write: the backlog is empty and new writes go to the database again.
     *
     * @param checkpointed the journal's checkpoint, the last sequence applied
     */
    record Drained(long checkpointed) implements ForwardEvent {
    }
}
