package dev.bulwark.recovery;

import java.time.Duration;

/**
 * A progress event of a {@link TableCopy}, sent after each chunk and each finished table.
 *
 * @param table         the table being copied
 * @param tableRows     rows of this table handled so far (including earlier runs resumed from a checkpoint)
 * @param totalRows     rows of all tables handled so far in this run
 * @param tablesDone    tables finished
 * @param tablesTotal   tables to copy
 * @param rowsPerSecond rows per second in this run
 * @param eta           estimated time left, from the source's row counts and the rate; {@code null} before a rate is known
 */
public record CopyProgress(String table, long tableRows, long totalRows, int tablesDone, int tablesTotal,
                           double rowsPerSecond, Duration eta) {
}
