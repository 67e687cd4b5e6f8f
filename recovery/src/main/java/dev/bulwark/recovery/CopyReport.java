package dev.bulwark.recovery;

import java.util.List;

/**
 * The outcome of {@link TableCopy#run()}: one result per table, in copy order. Immutable.
 *
 * @param copyId the checkpoint identifier of the copy
 * @param dryRun whether nothing was written
 * @param tables per-table results
 */
public record CopyReport(String copyId, boolean dryRun, List<TableResult> tables) {

    /** Copies the list. */
    public CopyReport {
        tables = List.copyOf(tables);
    }

    /** Whether every table was copied (or would be, in a dry run) and, unless a dry run, verified equal. */
    public boolean isSuccess() {
        return tables.stream().allMatch(t -> t.error() == null && (dryRun || t.verified()));
    }

    /** The result for a table, or {@code null}. */
    public TableResult table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst().orElse(null);
    }

    /**
     * One table's result.
     *
     * @param table       the table name
     * @param created     whether the target table was (or, in a dry run, would be) created
     * @param inserted    rows inserted (in a dry run: that would be inserted), this run
     * @param conflicts   rows whose key already existed in the target, this run
     * @param skipped     conflicting rows skipped ({@link ConflictStrategy#SKIP})
     * @param overwritten conflicting rows overwritten ({@link ConflictStrategy#OVERWRITE})
     * @param resumedFrom rows an earlier, interrupted run had already copied (from the checkpoint)
     * @param source      the source table's checksum after the copy; {@code null} in a dry run or on error
     * @param target      the target table's checksum after the copy; likewise
     * @param verified    whether both checksums match
     * @param error       why this table failed, or {@code null}
     */
    public record TableResult(String table, boolean created, long inserted, long conflicts, long skipped,
                              long overwritten, long resumedFrom, TableChecksum source, TableChecksum target,
                              boolean verified, String error) {
    }
}
