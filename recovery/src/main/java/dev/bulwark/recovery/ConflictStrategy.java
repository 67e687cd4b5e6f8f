package dev.bulwark.recovery;

/** What {@link TableCopy} does with a source row whose primary key already exists in the target table. */
public enum ConflictStrategy {
    /** Stop copying that table with an error (the chunk is rolled back); the default. */
    FAIL,
    /** Keep the target's row and count the source row as skipped. */
    SKIP,
    /** Replace the target row's other columns with the source row's. */
    OVERWRITE
}
