package dev.bulwark.recovery;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A completed backup as its manifest describes it. Immutable and thread-safe; obtain one from
 * {@link Backups#create} or {@link Backups#open}.
 *
 * @param directory      the backup directory
 * @param createdAt      when the backup's snapshot was taken
 * @param source         the source JDBC URL, credentials masked
 * @param database       the source's database family ({@code POSTGRESQL}, {@code MYSQL}, {@code SQLITE})
 * @param bulwarkVersion the Bulwark version that wrote it
 * @param formatVersion  the manifest format version
 * @param tables         the tables, in the order they were exported
 */
public record Backup(Path directory, Instant createdAt, String source, String database, String bulwarkVersion,
                     int formatVersion, List<Table> tables) {

    /** Copies the list. @throws NullPointerException if a reference is null */
    public Backup {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(createdAt, "createdAt");
        tables = List.copyOf(tables);
    }

    /**
     * One backed-up table.
     *
     * @param name     the table name, exact
     * @param rowCount rows at snapshot time
     * @param checksum the {@link TableChecksum} digest at snapshot time
     * @param file     its data file, relative to the backup directory
     */
    public record Table(String name, long rowCount, String checksum, String file) {
    }

    /** The table checksum recorded for a table, or {@code null} if the backup does not hold it. */
    public TableChecksum checksumOf(String table) {
        return tables.stream().filter(t -> t.name().equals(table)).findFirst()
                .map(t -> new TableChecksum(t.name(), t.rowCount(), t.checksum())).orElse(null);
    }
}
