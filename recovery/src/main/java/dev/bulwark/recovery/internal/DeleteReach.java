package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.RecoveryException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Refuses to empty tables when the {@code DELETE} would reach tables outside the set being restored: a
 * foreign key with an ON DELETE rule (this schema or another), a PostgreSQL table inheriting from one of
 * them, or a delete trigger (whose body may change any table). Used by a replacing restore and by undo.
 *
 * <pre>
 *   tables to empty ──► referencing tables not restored?  ─┐
 *                   ──► other schemas / inheriting tables? ─┼─► any: refuse, naming each (55000)
 *                   ──► non-internal DELETE triggers?      ─┘
 * </pre>
 *
 * <p>Stateless; each call reads the catalog through the caller's connection.
 */
final class DeleteReach {

    private DeleteReach() {
    }

    /**
     * Refuses unless deleting the rows of {@code toEmpty} stays inside {@code restored}.
     *
     * @param restored the tables put back (their rows are replaced anyway)
     * @param toEmpty  the non-empty tables that will be deleted from (deleting from an empty table reaches nothing)
     * @param what     what is being done, for the message ("replace the rows of the backup's tables")
     * @param optIn    the option that allows it, for the message
     * @throws RecoveryException 55000 naming the tables and triggers reached
     */
    static void refuseOutside(Catalog catalog, Collection<String> restored, Collection<String> toEmpty, String what,
            String optIn) throws SQLException {
        List<String> outside = new ArrayList<>();
        List<String> triggers = new ArrayList<>();
        for (String table : toEmpty) {
            for (String referencing : catalog.referencing(table)) {
                addOnce(outside, restored.contains(referencing) ? null : SqlDialect.printable(referencing));
            }
            for (String[] reached : catalog.reachedByDelete(table)) { // other schemas; inheriting tables
                boolean same = reached[2].equals("same");
                addOnce(outside, same && restored.contains(reached[1]) ? null
                        : SqlDialect.printable(same ? reached[1] : reached[0] + "." + reached[1]));
            }
            for (String trigger : catalog.deleteTriggers(table)) {
                // A trigger's body may write anywhere; which tables it touches cannot be read from the catalog.
                addOnce(triggers, SqlDialect.printable(trigger) + " on " + SqlDialect.printable(table));
            }
        }
        if (outside.isEmpty() && triggers.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("refusing to " + what + ": ");
        if (!outside.isEmpty()) {
            message.append("tables outside it ").append(outside).append(" reference or inherit from them, and deleting"
                    + " could delete or change their rows (ON DELETE CASCADE, SET NULL, a child table's rows) or fail");
        }
        if (!triggers.isEmpty()) {
            message.append(outside.isEmpty() ? "" : "; ").append("delete triggers ").append(triggers)
                    .append(" would run and may change tables outside it");
        }
        throw new RecoveryException(message.append("; ").append(optIn).append(" allows it").toString(),
                RecoveryException.WRONG_STATE);
    }

    private static void addOnce(List<String> names, String name) {
        if (name != null && !names.contains(name)) {
            names.add(name);
        }
    }
}
