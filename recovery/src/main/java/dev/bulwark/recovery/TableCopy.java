package dev.bulwark.recovery;

import dev.bulwark.recovery.internal.CopyRun;
import dev.bulwark.recovery.internal.SqlDialect;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Copies tables from one database to another (PostgreSQL, MariaDB/MySQL, SQLite, in any combination),
 * referenced tables first, in chunks keyed by primary key. Each chunk is written in one target
 * transaction together with a checkpoint row in {@code bulwark_copy_checkpoint}, so a copy killed at
 * any moment resumes where it stopped, without duplicating rows. After copying, each table is verified
 * by {@link TableChecksum} on both sides.
 *
 * <pre>{@code
 * CopyReport report = TableCopy.builder(postgres, sqlite)
 *         .withTables("customer", "orders")
 *         .withCopyId("migrate-2024-06")
 *         .withConflictStrategy(ConflictStrategy.SKIP)
 *         .withListener(p -> log.info("{}: {} rows, ETA {}", p.table(), p.tableRows(), p.eta()))
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #run()} may be called again (it resumes from the checkpoint), but
 * two runs with the same copy id must not overlap.
 */
public final class TableCopy {

    /** Name of the checkpoint table created on the target. */
    public static final String CHECKPOINT_TABLE = "bulwark_copy_checkpoint";

    private static final Pattern COPY_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private final DataSource source;
    private final DataSource target;
    private final List<String> tables;
    private final String copyId;
    private final int chunkSize;
    private final ConflictStrategy conflictStrategy;
    private final boolean dryRun;
    private final boolean continueOnError;
    private final CopyListener listener;

    private TableCopy(Builder b) {
        this.source = b.source;
        this.target = b.target;
        this.tables = List.copyOf(b.tables);
        this.copyId = b.copyId;
        this.chunkSize = b.chunkSize;
        this.conflictStrategy = b.conflictStrategy;
        this.dryRun = b.dryRun;
        this.continueOnError = b.continueOnError;
        this.listener = b.listener;
    }

    /**
     * A builder copying from {@code source} to {@code target}.
     *
     * @throws NullPointerException if either is null
     */
    public static Builder builder(DataSource source, DataSource target) {
        return new Builder(Objects.requireNonNull(source, "source"), Objects.requireNonNull(target, "target"));
    }

    /**
     * Copies (or, in a dry run, inspects) the tables and verifies them.
     *
     * @return per-table results; with {@code continueOnError} failed tables are reported there
     * @throws RecoveryException for a copy onto the source itself, an unknown or unsafe table name, a
     *                           table without primary key, a foreign-key cycle (naming the tables), or,
     *                           without {@code continueOnError}, the first table that fails
     * @throws SQLException      if a database fails outside a table's copy
     */
    public CopyReport run() throws SQLException {
        return new CopyRun(source, target, tables, copyId, chunkSize, conflictStrategy, dryRun, continueOnError,
                listener).run();
    }

    @Override
    public String toString() {
        return "TableCopy[copyId=" + copyId + ", tables=" + (tables.isEmpty() ? "all" : tables) + ", chunkSize="
                + chunkSize + ", conflicts=" + conflictStrategy + ", dryRun=" + dryRun + ", continueOnError="
                + continueOnError + "]";
    }

    /** Builds a {@link TableCopy}; each method checks its input at once. Not thread-safe. */
    public static final class Builder {
        private final DataSource source;
        private final DataSource target;
        private final List<String> tables = new ArrayList<>();
        private String copyId = "default";
        private int chunkSize = 1000;
        private ConflictStrategy conflictStrategy = ConflictStrategy.FAIL;
        private boolean dryRun;
        private boolean continueOnError;
        private CopyListener listener = progress -> { };

        private Builder(DataSource source, DataSource target) {
            this.source = source;
            this.target = target;
        }

        /**
         * Copies these tables (exact names of the source's current schema) plus nothing else; default: all.
         *
         * @throws IllegalArgumentException for an empty, overlong or control-character name, or a duplicate
         */
        public Builder withTables(String... names) {
            Objects.requireNonNull(names, "names");
            List<String> checked = new ArrayList<>();
            for (String name : names) {
                try {
                    checked.add(SqlDialect.validate("TableCopy.tables", name));
                } catch (RecoveryException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
            if (new LinkedHashSet<>(checked).size() != checked.size()) {
                throw new IllegalArgumentException("TableCopy.tables: a table is named twice");
            }
            tables.clear();
            tables.addAll(checked);
            return this;
        }

        /**
         * The checkpoint key: runs with the same id resume each other. Default {@code default}.
         *
         * @throws IllegalArgumentException unless 1-100 characters of letters, digits, {@code _ . : -}
         */
        public Builder withCopyId(String id) {
            if (id == null || !COPY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("TableCopy.copyId must be 1-100 characters of letters, digits, '_', '.',"
                        + " ':' or '-', was " + (id == null ? "null" : SqlDialect.printable(id)));
            }
            this.copyId = id;
            return this;
        }

        /**
         * Rows per chunk (and per target transaction). Default 1000.
         *
         * @throws IllegalArgumentException unless between 1 and 100,000
         */
        public Builder withChunkSize(int rows) {
            if (rows < 1 || rows > 100_000) {
                throw new IllegalArgumentException("TableCopy.chunkSize must be between 1 and 100000, was " + rows);
            }
            this.chunkSize = rows;
            return this;
        }

        /** What to do with rows whose key exists in the target. Default {@link ConflictStrategy#FAIL}. */
        public Builder withConflictStrategy(ConflictStrategy strategy) {
            this.conflictStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** When true, reads both sides and reports what would change, writing nothing (no checkpoint either). */
        public Builder withDryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** When true, a failing table is reported and the copy goes on with tables that do not depend on it. */
        public Builder withContinueOnError(boolean continueOnError) {
            this.continueOnError = continueOnError;
            return this;
        }

        /** Receives progress events. */
        public Builder withListener(CopyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The copy. */
        public TableCopy build() {
            return new TableCopy(this);
        }
    }
}
