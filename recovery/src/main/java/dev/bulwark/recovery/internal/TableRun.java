package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.ConflictStrategy;
import dev.bulwark.recovery.CopyReport;
import dev.bulwark.recovery.RecoveryException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Copies (or inspects, in a dry run) one table chunk by chunk, each chunk with its checkpoint in one transaction. */
final class TableRun {

    private final CopyRun run;
    private final TableDefinition table;
    private final Connection source;
    private final Connection target;
    private final Catalog targetCatalog;
    private final Checkpoints checkpoints;
    private final ChunkedTable chunks;

    TableRun(CopyRun run, TableDefinition table, Connection source, Connection target, Catalog sourceCatalog,
             Catalog targetCatalog, Checkpoints checkpoints) throws SQLException {
        this.run = run;
        this.table = table;
        this.source = source;
        this.target = target;
        this.targetCatalog = targetCatalog;
        this.checkpoints = checkpoints;
        this.chunks = new ChunkedTable(table, sourceCatalog.dialect(), targetCatalog.dialect());
    }

    CopyReport.TableResult copy(int tablesDone, int tablesTotal) throws SQLException {
        boolean exists = targetCatalog.tables().contains(table.name());
        if (!exists && !run.dryRun()) {
            try (Statement s = target.createStatement()) {
                s.execute(Ddl.createTable(targetCatalog.dialect(), forTarget(table, targetCatalog.dialect().dialect())));
            }
        }
        Checkpoints.State state = run.dryRun() && !targetCatalog.tables().contains(dev.bulwark.recovery.TableCopy.CHECKPOINT_TABLE)
                ? Checkpoints.State.START : checkpoints.read(target, run.copyId(), table.name());
        long resumedFrom = state.rows();
        long inserted = 0;
        long conflicts = 0;
        long skipped = 0;
        long overwritten = 0;
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try {
            while (!state.done()) {
                ChunkedTable.Chunk chunk = chunks.next(source, target, state.lastKey(), run.chunkSize());
                if (chunk.rows().isEmpty()) {
                    state = new Checkpoints.State(state.lastKey(), state.rows(), true);
                    if (!run.dryRun()) {
                        checkpoints.write(target, run.copyId(), table.name(), state);
                        target.commit();
                    }
                    break;
                }
                Set<List<String>> existing = exists ? chunks.existing(target, chunk) : Set.of();
                List<Object[]> fresh = new ArrayList<>();
                List<Object[]> clashing = new ArrayList<>();
                for (int i = 0; i < chunk.rows().size(); i++) {
                    (existing.contains(chunk.keys().get(i)) ? clashing : fresh).add(chunk.rows().get(i));
                }
                if (!clashing.isEmpty() && run.conflicts() == ConflictStrategy.FAIL) {
                    throw new RecoveryException(clashing.size() + " row(s) of table " + SqlDialect.printable(table.name())
                            + " already exist in the target (ConflictStrategy.FAIL; choose SKIP or OVERWRITE to go on)"
                            + (run.dryRun() ? " [dry run]" : ""), RecoveryException.WRONG_STATE);
                }
                List<String> lastKey = chunk.keys().get(chunk.keys().size() - 1);
                state = new Checkpoints.State(lastKey, state.rows() + chunk.rows().size(), false);
                if (!run.dryRun()) {
                    chunks.insert(target, fresh);
                    if (run.conflicts() == ConflictStrategy.OVERWRITE) {
                        chunks.overwrite(target, clashing);
                    }
                    checkpoints.write(target, run.copyId(), table.name(), state);
                    target.commit();
                }
                inserted += fresh.size();
                conflicts += clashing.size();
                skipped += run.conflicts() == ConflictStrategy.SKIP ? clashing.size() : 0;
                overwritten += run.conflicts() == ConflictStrategy.OVERWRITE ? clashing.size() : 0;
                run.progress(table.name(), state.rows(), chunk.rows().size(), tablesDone, tablesTotal);
            }
        } finally {
            if (!target.getAutoCommit()) {
                target.rollback(); // nothing is pending after a commit; after a failure this undoes the chunk
            }
            target.setAutoCommit(autoCommit);
        }
        run.progress(table.name(), state.rows(), 0, tablesDone + 1, tablesTotal);
        return new CopyReport.TableResult(table.name(), !exists, inserted, conflicts, skipped, overwritten, resumedFrom,
                null, null, false, null);
    }

    /** Declared types translated where the target does not know the source's name for them. */
    static TableDefinition forTarget(TableDefinition table, Dialect target) {
        List<TableDefinition.Column> columns = new ArrayList<>();
        for (TableDefinition.Column c : table.columns()) {
            String type = c.type().toLowerCase(Locale.ROOT).trim();
            String mapped = switch (target) {
                case POSTGRESQL -> type.isEmpty() ? "text" : type.startsWith("blob") ? "bytea"
                        : type.startsWith("datetime") ? "timestamp" : type.equals("double") ? "double precision" : c.type();
                case MYSQL -> type.equals("bytea") ? "longblob"
                        : type.startsWith("timestamp without time zone") || type.equals("timestamp") ? "datetime(6)"
                        : type.startsWith("timestamp with time zone") ? "timestamp(6)"
                        : type.startsWith("character varying") ? "varchar" + type.substring("character varying".length())
                        : (type.equals("text") && table.primaryKey().contains(c.name())) ? "varchar(255)" : c.type();
                default -> c.type();
            };
            columns.add(new TableDefinition.Column(c.name(), mapped, c.nullable()));
        }
        return new TableDefinition(table.name(), columns, table.primaryKey(), table.foreignKeys());
    }
}
