package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.ConflictStrategy;
import dev.bulwark.recovery.CopyListener;
import dev.bulwark.recovery.CopyProgress;
import dev.bulwark.recovery.CopyReport;
import dev.bulwark.recovery.RecoveryException;
import dev.bulwark.recovery.TableChecksum;
import dev.bulwark.recovery.TableCopy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a {@link TableCopy}: checks, table order, per-table chunk loops, verification. */
public final class CopyRun {

    private static final Logger LOG = LoggerFactory.getLogger(CopyRun.class);

    private final DataSource sourceDs;
    private final DataSource targetDs;
    private final List<String> tables;
    private final String copyId;
    private final int chunkSize;
    private final ConflictStrategy conflicts;
    private final boolean dryRun;
    private final boolean continueOnError;
    private final CopyListener listener;
    private final long started = System.nanoTime();
    private long estimatedRows;
    private long handledRows;

    public CopyRun(DataSource source, DataSource target, List<String> tables, String copyId, int chunkSize,
                   ConflictStrategy conflicts, boolean dryRun, boolean continueOnError, CopyListener listener) {
        this.sourceDs = source;
        this.targetDs = target;
        this.tables = tables;
        this.copyId = copyId;
        this.chunkSize = chunkSize;
        this.conflicts = conflicts;
        this.dryRun = dryRun;
        this.continueOnError = continueOnError;
        this.listener = listener;
    }

    public CopyReport run() throws SQLException {
        try (Connection source = sourceDs.getConnection(); Connection target = targetDs.getConnection()) {
            Catalog sourceCatalog = new Catalog(source);
            Catalog targetCatalog = new Catalog(target);
            refuseSameDatabaseByAddress(source, target);
            List<String> names = tables.isEmpty() ? sourceCatalog.tables().stream()
                    .filter(t -> !t.equals(TableCopy.CHECKPOINT_TABLE)).toList() : tables;
            List<TableDefinition> definitions = new ArrayList<>();
            for (String name : names) {
                definitions.add(sourceCatalog.describe(name));
            }
            List<TableDefinition> ordered = ForeignKeyOrder.sort(definitions);
            refuseNamesTheTargetWouldTruncate(ordered, targetCatalog.dialect());
            Checkpoints checkpoints = new Checkpoints(targetCatalog.dialect());
            if (!dryRun) {
                checkpoints.create(target);
                refuseSameDatabaseByProbe(source, target, sourceCatalog, targetCatalog, checkpoints);
            }
            for (TableDefinition table : ordered) {
                estimatedRows += count(source, sourceCatalog.dialect(), table.name());
            }
            List<CopyReport.TableResult> results = new ArrayList<>();
            Map<String, String> failed = new HashMap<>();
            for (TableDefinition table : ordered) {
                String blocker = table.foreignKeys().stream().map(TableDefinition.ForeignKey::referencedTable)
                        .filter(failed::containsKey).findFirst().orElse(null);
                if (blocker != null) {
                    failed.put(table.name(), "not copied: it references " + SqlDialect.printable(blocker) + ", which failed");
                    results.add(failure(table.name(), failed.get(table.name())));
                    continue;
                }
                try {
                    TableRun run = new TableRun(this, table, source, target, sourceCatalog, targetCatalog, checkpoints);
                    results.add(run.copy(results.size(), ordered.size()));
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(target);
                    // A driver's message can hold row data (pgjdbc inlines a failed batch's values): one redacted line.
                    String message = "table " + SqlDialect.printable(table.name()) + " failed: "
                            + (e instanceof RecoveryException ? e.getMessage() : ServerText.oneLine(e));
                    if (!continueOnError && e instanceof SQLException sql) {
                        throw new RecoveryException(message, Objects.requireNonNullElse(sql.getSQLState(), "XX000"), e);
                    }
                    if (!continueOnError) { // a conversion's message holds the value (java.time: "Text '...' could not be parsed")
                        throw new RecoveryException(message, e instanceof java.time.DateTimeException
                                || e instanceof IllegalArgumentException ? "22000" : "XX000", e);
                    }
                    LOG.warn("copy {}: {}", copyId, message);
                    failed.put(table.name(), message);
                    results.add(failure(table.name(), message));
                }
            }
            return new CopyReport(copyId, dryRun, dryRun ? results : verify(source, target, results));
        }
    }

    /**
     * Checked before anything is written, for every table at once: PostgreSQL would create a table under
     * a truncated name and later statements would miss it; continue-on-error cannot undo what was committed.
     */
    private static void refuseNamesTheTargetWouldTruncate(List<TableDefinition> tables, SqlDialect target)
            throws RecoveryException {
        for (TableDefinition table : tables) {
            target.checkLength("table", table.name());
            for (String column : table.columnNames()) {
                target.checkLength("table " + SqlDialect.printable(table.name()) + " column", column);
            }
        }
    }

    private List<CopyReport.TableResult> verify(Connection source, Connection target, List<CopyReport.TableResult> results)
            throws SQLException {
        List<CopyReport.TableResult> verified = new ArrayList<>();
        for (CopyReport.TableResult r : results) {
            if (r.error() != null) {
                verified.add(r);
                continue;
            }
            TableChecksum s = TableChecksum.compute(source, r.table());
            TableChecksum t = TableChecksum.compute(target, r.table());
            boolean same = s.matches(t);
            if (!same) {
                LOG.warn("copy {}: table {} differs after the copy: source {} rows, target {} rows", copyId,
                        SqlDialect.printable(r.table()), s.rowCount(), t.rowCount());
            }
            verified.add(new CopyReport.TableResult(r.table(), r.created(), r.inserted(), r.conflicts(), r.skipped(),
                    r.overwritten(), r.resumedFrom(), s, t, same, null));
        }
        return verified;
    }

    private static CopyReport.TableResult failure(String table, String message) {
        return new CopyReport.TableResult(table, false, 0, 0, 0, 0, 0, null, null, false, message);
    }

    private void refuseSameDatabaseByAddress(Connection source, Connection target) throws SQLException {
        String s = source.getMetaData().getURL() + "|" + source.getCatalog() + "|" + source.getSchema();
        String t = target.getMetaData().getURL() + "|" + target.getCatalog() + "|" + target.getSchema();
        if (s.equals(t)) {
            throw new RecoveryException("refusing to copy a database onto itself (source and target are "
                    + MaskedUrl.of(source.getMetaData().getURL()) + ")", RecoveryException.WRONG_STATE);
        }
    }

    /** Writes a random row on the target and looks for it through the source: found means the same database. */
    private void refuseSameDatabaseByProbe(Connection source, Connection target, Catalog sourceCatalog,
                                           Catalog targetCatalog, Checkpoints checkpoints) throws SQLException {
        if (sourceCatalog.dialect().dialect() != targetCatalog.dialect().dialect()) {
            return;
        }
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String probe = "probe:" + HexFormat.of().formatHex(random);
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(true);
        try {
            checkpoints.write(target, probe, "probe", Checkpoints.State.START);
            if (checkpoints.sees(source, sourceCatalog, probe)) {
                throw new RecoveryException("refusing to copy a database onto itself: a row written through the target"
                        + " is visible through the source (" + MaskedUrl.of(source.getMetaData().getURL()) + ")",
                        RecoveryException.WRONG_STATE);
            }
        } finally {
            checkpoints.delete(target, probe);
            target.setAutoCommit(autoCommit);
        }
    }

    private static long count(Connection source, SqlDialect sql, String table) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + sql.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void rollbackQuietly(Connection target) {
        try {
            if (!target.getAutoCommit()) {
                target.rollback();
            }
        } catch (SQLException e) {
            // The table's own failure is what gets reported; this only says the connection is in trouble too.
            LOG.warn("rollback after a failed table copy failed too: {}", e.toString());
        }
    }

    String copyId() {
        return copyId;
    }

    int chunkSize() {
        return chunkSize;
    }

    ConflictStrategy conflicts() {
        return conflicts;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** Counts rows handled in this run and tells the listener. */
    void progress(String table, long tableRows, long newRows, int tablesDone, int tablesTotal) {
        handledRows += newRows;
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = handledRows / seconds;
        Duration eta = rate <= 0 ? null : Duration.ofMillis((long) (Math.max(0, estimatedRows - handledRows) / rate * 1000));
        try {
            listener.onProgress(new CopyProgress(table, tableRows, handledRows, tablesDone, tablesTotal, rate, eta));
        } catch (RuntimeException e) {
            LOG.warn("copy {}: progress listener failed: {}", copyId, e.toString());
        }
    }
}
