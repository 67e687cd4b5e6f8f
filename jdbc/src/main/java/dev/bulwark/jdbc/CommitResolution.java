package dev.bulwark.jdbc;

/**
 * How Bulwark finds out whether a commit whose acknowledgement was lost actually committed.
 *
 * <p>See docs/transactions.md, "Commit-outcome resolution", for what each strategy guarantees.
 * Immutable and thread-safe, like every enum.
 */
public enum CommitResolution {
    /**
     * The transaction id on PostgreSQL (when the user may read {@code pg_control_system()}), else the
     * commit ledger where its table exists or may be created, else {@link #OFF}.
     */
    AUTO,
    /** PostgreSQL only: record {@code pg_current_xact_id()} and ask {@code pg_xact_status} afterwards. */
    TRANSACTION_ID,
    /** Write a commit-marker row into the ledger table inside each transaction. */
    LEDGER,
    /** Never resolve: a lost acknowledgement always surfaces as {@link CommitOutcome#UNKNOWN}. */
    OFF
}
