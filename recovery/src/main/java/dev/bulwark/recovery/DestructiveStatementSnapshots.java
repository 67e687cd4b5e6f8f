package dev.bulwark.recovery;

import dev.bulwark.core.Dialect;
import dev.bulwark.jdbc.StatementObserver;
import dev.bulwark.recovery.internal.DestructiveStatement;
import dev.bulwark.recovery.internal.ManifestFiles;
import dev.bulwark.recovery.internal.SchemaRewind;
import dev.bulwark.recovery.internal.SnapshotStore;
import dev.bulwark.recovery.internal.TableResolver;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a snapshot of a table before a statement drops or empties it, and undoes such statements: a
 * {@link StatementObserver} for {@code Bulwark.builder(ds).withStatementObserver(snapshots)}.
 *
 * <pre>{@code
 * DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(Path.of("/var/lib/app/snapshots"))
 *         .withKeepLast(20)
 *         .build();
 * BulwarkDataSource db = Bulwark.builder(hikari).withStatementObserver(snapshots).build();
 * ... db.getConnection().createStatement().execute("DROP TABLE account");   // account is saved first
 * snapshots.undoLast(db);                                                      // and comes back
 * }</pre>
 *
 * <p>Before {@code DROP TABLE}, {@code TRUNCATE [TABLE]}, {@code DELETE} without a top-level {@code WHERE},
 * {@code ALTER TABLE ... DROP ...} and MariaDB's {@code CREATE OR REPLACE TABLE}, the affected existing tables
 * of the connection's current schema are backed up (see {@link Backups}) on the statement's own connection:
 * in a snapshot of their own in auto-commit mode, inside the open transaction otherwise (so the transaction's
 * own uncommitted rows are saved). SQL that may be destructive but cannot be read safely is refused with a
 * {@link RecoveryException} ({@code 42602}) and not run; so is a table in another schema ({@code 0A000}),
 * and a statement whose snapshot fails.
 *
 * <p>Thread-safe: connections call it concurrently; snapshots, pruning and undo may overlap.
 */
public final class DestructiveStatementSnapshots implements StatementObserver {

    private static final Logger LOG = LoggerFactory.getLogger(DestructiveStatementSnapshots.class);

    private final SnapshotStore store;
    private final Dialect dialect;
    private final ThreadLocal<Boolean> undoing = new ThreadLocal<>();

    private DestructiveStatementSnapshots(Builder builder) throws IOException {
        this.store = SnapshotStore.open(builder.directory, builder.keepLast);
        this.dialect = builder.dialect;
    }

    /** A builder writing snapshots under {@code directory} (created if missing). */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Snapshots the tables {@code sql} would drop or empty, or refuses it.
     *
     * @throws RecoveryException 42602 for destructive SQL that cannot be read safely, 0A000 for a table of
     *                           another schema or a batch of plain statements; the statement is not run
     * @throws SQLException      if the snapshot fails (the statement is not run)
     */
    @Override
    public void beforeExecute(Connection connection, String sql) throws SQLException {
        if (undoing.get() != null) {
            return; // undo's own DROP and DELETE statements restore a snapshot: they are not snapshotted again
        }
        if (sql == null) {
            throw new RecoveryException("statement refused and not run: a batch of Statement.addBatch(String) entries"
                    + " cannot be checked for destructive statements; use a PreparedStatement batch or execute the"
                    + " statements one by one", RecoveryException.NOT_SUPPORTED);
        }
        if (!DestructiveStatement.mayBeDestructive(sql)) {
            return; // most statements: one scan for a few words, nothing else
        }
        Dialect kind = dialect != null ? dialect : Dialect.fromMetaData(connection.getMetaData());
        List<DestructiveStatement> statements = DestructiveStatement.find(sql, kind);
        for (DestructiveStatement statement : statements) {
            List<String> tables = TableResolver.existing(connection, kind, statement.tables());
            if (tables.isEmpty()) {
                LOG.debug("{} of tables that do not exist (yet): nothing to save", statement.operation());
                continue;
            }
            if (statement.removesReferencingRows()) {
                tables = TableResolver.withReferencing(connection, tables);
            }
            try {
                StatementSnapshot snapshot = store.take(connection, statement.operation(), tables);
                LOG.info("snapshot {} of {} taken before {}", snapshot.id(), tables, statement.operation());
            } catch (IOException e) {
                throw new RecoveryException("statement refused and not run: the snapshot of " + tables + " before "
                        + statement.operation() + " could not be written: " + e, "58030", e);
            }
        }
    }

    /**
     * The snapshots kept, newest first.
     *
     * @throws IOException if the directory cannot be read
     */
    public List<StatementSnapshot> list() throws IOException {
        return store.list();
    }

    /**
     * Puts the tables of a snapshot back as they were: a dropped table is recreated from the recorded
     * definition (columns, types, NOT NULL, primary and foreign keys) and loaded; an emptied one is emptied
     * and loaded; one whose columns changed (ALTER TABLE ... DROP) is dropped, recreated and loaded. On
     * PostgreSQL and SQLite all of it is one transaction; MariaDB commits DDL implicitly. Each table is
     * checked against its recorded checksum. The snapshot is kept.
     *
     * <p>Emptying a table that holds rows again must not reach tables outside the snapshot: undo refuses
     * (55000, naming them, before anything is dropped or deleted) when a table outside the snapshot references
     * one to be emptied (its ON DELETE CASCADE or SET NULL would run), inherits from it (PostgreSQL), or when a
     * delete trigger is defined on it. {@link #undo(String, DataSource, boolean)} with {@code true} allows it.
     *
     * @param target the database to restore into (the one the snapshot came from); a Bulwark DataSource with
     *               this observer is fine, undo's own statements are not snapshotted
     * @return the checksums of the restored tables, equal to the snapshot's
     * @throws RecoveryException 42P01 for an unknown id, XX001 for a damaged snapshot or a mismatch after loading,
     *                           55000 when emptying would reach tables outside the snapshot
     * @throws SQLException      if the database fails
     * @throws IOException       if the snapshot cannot be read
     */
    public List<TableChecksum> undo(String snapshotId, DataSource target) throws SQLException, IOException {
        return undo(snapshotId, target, false);
    }

    /**
     * {@link #undo(String, DataSource)}; when {@code reachOutsideSnapshot} is true, emptying the snapshot's tables
     * may reach tables outside it (like {@link RestoreOptions#withCascadeOutsideBackup}): their foreign keys'
     * ON DELETE rules, PostgreSQL's inheriting tables and delete triggers then run.
     */
    public List<TableChecksum> undo(String snapshotId, DataSource target, boolean reachOutsideSnapshot)
            throws SQLException, IOException {
        Objects.requireNonNull(target, "target");
        Path dir = store.directoryOf(snapshotId);
        VerificationReport report = Backups.verify(dir);
        if (!report.isIntact()) {
            throw new RecoveryException("refusing to undo from a damaged snapshot: " + report, RecoveryException.CORRUPTED);
        }
        undoing.set(Boolean.TRUE);
        try (Connection connection = target.getConnection()) {
            List<TableChecksum> sums = SchemaRewind.restore(dir, ManifestFiles.read(dir), connection, false,
                    reachOutsideSnapshot ? null : "undo(id, target, true) / undoLast(target, true)");
            LOG.info("undid the statement before snapshot {}: {} tables restored", snapshotId, sums.size());
            return sums;
        } finally {
            undoing.remove();
        }
    }

    /**
     * {@link #undo(String, DataSource)} of the newest snapshot.
     *
     * @throws RecoveryException 55000 when there is no snapshot
     */
    public List<TableChecksum> undoLast(DataSource target) throws SQLException, IOException {
        return undoLast(target, false);
    }

    /**
     * {@link #undo(String, DataSource, boolean)} of the newest snapshot.
     *
     * @throws RecoveryException 55000 when there is no snapshot
     */
    public List<TableChecksum> undoLast(DataSource target, boolean reachOutsideSnapshot) throws SQLException, IOException {
        List<StatementSnapshot> all = list();
        if (all.isEmpty()) {
            throw new RecoveryException("there is no snapshot to undo in " + store.root(), RecoveryException.WRONG_STATE);
        }
        return undo(all.get(0).id(), target, reachOutsideSnapshot);
    }

    @Override
    public String toString() {
        return "DestructiveStatementSnapshots[" + store + "]";
    }

    /** Builds {@link DestructiveStatementSnapshots}; each method checks its input at once. Not thread-safe. */
    public static final class Builder {

        private final Path directory;
        private int keepLast = 10;
        private Dialect dialect;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * Keeps the newest {@code count} snapshots (default 10); older ones are deleted after each new one.
         *
         * @throws IllegalArgumentException unless 1 &lt;= count &lt;= 100000
         */
        public Builder withKeepLast(int count) {
            if (count < 1 || count > 100_000) {
                throw new IllegalArgumentException("keepLast: must be between 1 and 100000, got " + count);
            }
            this.keepLast = count;
            return this;
        }

        /**
         * The database family whose SQL is read (quoting, comments, string escapes). Default: read from
         * each connection's metadata.
         *
         * @throws IllegalArgumentException for a family without backup support (only POSTGRESQL, MYSQL, SQLITE)
         */
        public Builder withDialect(Dialect value) {
            Objects.requireNonNull(value, "dialect");
            if (value != Dialect.POSTGRESQL && value != Dialect.MYSQL && value != Dialect.SQLITE) {
                throw new IllegalArgumentException("dialect: snapshots support POSTGRESQL, MYSQL and SQLITE, not " + value);
            }
            this.dialect = value;
            return this;
        }

        /**
         * The observer.
         *
         * @throws IOException if the directory cannot be created
         */
        public DestructiveStatementSnapshots build() throws IOException {
            return new DestructiveStatementSnapshots(this);
        }
    }
}
