package dev.bulwark.recovery;

/**
 * What {@link StoreAndForward} did with a write: committed it now, found it applied before, or buffered it in
 * the journal to be applied later. A buffered write is <em>not</em> committed: readers do not see it until the
 * replayer has applied it.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface WriteResult {

    /** The write's idempotency key. */
    String idempotencyKey();

    /**
     * The write was applied and committed in the database just now.
     *
     * @param idempotencyKey the write's key, now recorded in the commit ledger
     */
    record Committed(String idempotencyKey) implements WriteResult {
    }

    /**
     * The commit ledger already held the key: a write with this key was applied before, so nothing was done.
     *
     * @param idempotencyKey the write's key
     */
    record AlreadyApplied(String idempotencyKey) implements WriteResult {
    }

    /**
     * The database was unavailable (or older writes were still waiting): the write is durable in the local
     * journal and will be applied exactly once, in journal order, when the database is back.
     *
     * @param idempotencyKey the write's key
     * @param sequence       the journal sequence number holding the write
     */
    record Buffered(String idempotencyKey, long sequence) implements WriteResult {
    }
}
