package dev.bulwark.recovery;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot that {@link DestructiveStatementSnapshots} took of the tables a statement was about to drop or
 * empty. Immutable and thread-safe.
 *
 * @param id        the snapshot's id, also its directory name; ids sort oldest first
 * @param createdAt when the tables were read
 * @param operation what the statement was about to do: {@code DROP TABLE}, {@code TRUNCATE},
 *                  {@code DELETE without WHERE}, {@code ALTER TABLE ... DROP} or {@code CREATE OR REPLACE TABLE}
 * @param tables    the tables saved, exact names
 * @param directory the backup directory holding them (a regular {@link Backups} backup)
 */
public record StatementSnapshot(String id, Instant createdAt, String operation, List<String> tables, Path directory) {

    /** Copies the list. @throws NullPointerException if a reference is null */
    public StatementSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(directory, "directory");
        tables = List.copyOf(tables);
    }
}
