package dev.bulwark.recovery.internal;

import dev.bulwark.core.Dialect;
import dev.bulwark.recovery.TableChecksum;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts tables back as a verified backup recorded them, also when their shape has changed since: a table
 * whose columns differ from the recorded ones is dropped and recreated from the recorded definition, then
 * every table is emptied and loaded (and checked against its checksum). Optionally tables of the current
 * schema that the backup does not hold are dropped too (for rewinding a whole schema).
 *
 * <p>On PostgreSQL and SQLite the drops, the creates and the loads are one transaction: a failure leaves
 * the tables as they were. MariaDB commits DDL implicitly, so there the drops and creates stay even if
 * loading fails afterwards; the backup itself is left intact for another attempt.
 */
public final class SchemaRewind {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRewind.class);

    private SchemaRewind() {
    }

    /**
     * Restores the backup in {@code dir}; {@code dropOthers} also drops the current schema's other tables.
     *
     * @param reachOutsideOptIn null to let emptying the recorded tables reach tables outside the backup (ON DELETE
     *                     rules, inheriting tables, delete triggers); otherwise the option that allows it, named
     *                     when such a rewind is refused before anything is dropped
     * @throws dev.bulwark.recovery.RecoveryException 55000 when emptying would reach outside and it is not allowed
     */
    public static List<TableChecksum> restore(Path dir, Manifest manifest, Connection connection, boolean dropOthers,
            String reachOutsideOptIn) throws SQLException, IOException {
        Catalog catalog = new Catalog(connection);
        SqlDialect sql = catalog.dialect();
        List<String> recorded = manifest.tables().stream().map(t -> t.definition().name()).toList();
        List<TableDefinition> toDrop = new ArrayList<>();
        for (String table : catalog.tables()) {
            TableDefinition now = catalog.describe(table);
            if (recorded.contains(table)) {
                TableDefinition then = manifest.tables().get(recorded.indexOf(table)).definition();
                if (!now.columnNames().equals(then.columnNames())) {
                    toDrop.add(now);
                }
            } else if (dropOthers) {
                toDrop.add(now);
            }
        }
        if (reachOutsideOptIn != null) { // checked before the drops: MariaDB commits them at once
            List<String> dropped = toDrop.stream().map(TableDefinition::name).toList();
            List<String> toEmpty = new ArrayList<>();
            for (String table : catalog.tables()) {
                if (recorded.contains(table) && !dropped.contains(table) && Restorer.hasRows(connection, sql, table)) {
                    toEmpty.add(table);
                }
            }
            DeleteReach.refuseOutside(catalog, recorded, toEmpty, "put back the snapshot's tables", reachOutsideOptIn);
        }
        boolean autoCommit = connection.getAutoCommit();
        boolean transactionalDdl = sql.dialect() != Dialect.MYSQL;
        if (transactionalDdl) {
            connection.setAutoCommit(false);
        }
        boolean done = false;
        try {
            List<TableDefinition> ordered = ForeignKeyOrder.sort(toDrop);
            for (int i = ordered.size() - 1; i >= 0; i--) { // tables that reference others go first
                try (Statement s = connection.createStatement()) {
                    s.execute("DROP TABLE " + sql.quote(ordered.get(i).name()));
                }
                LOG.info("dropped table {} to recreate the backup's state", SqlDialect.printable(ordered.get(i).name()));
            }
            List<TableChecksum> sums = new Restorer(dir, manifest, true, true).restore(connection); // commits
            done = true;
            return sums;
        } finally {
            if (!done && transactionalDdl) {
                try {
                    connection.rollback();
                } catch (SQLException e) {
                    LOG.warn("rollback after a failed rewind failed too: {}", e.toString());
                }
            }
            connection.setAutoCommit(autoCommit);
        }
    }
}
