package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.RecoveryException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders tables so that each comes after the tables its foreign keys reference (within the set;
 * self-references are allowed). A cycle is refused, naming the tables on it.
 */
public final class ForeignKeyOrder {

    private ForeignKeyOrder() {
    }

    /**
     * The definitions, referenced tables first; ties keep the given order.
     *
     * @throws RecoveryException (SQLState 55000) naming the tables of a foreign-key cycle
     */
    public static List<TableDefinition> sort(List<TableDefinition> tables) throws RecoveryException {
        Map<String, TableDefinition> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        List<TableDefinition> sorted = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (TableDefinition table : tables) {
            visit(table, byName, done, new ArrayList<>(), sorted);
        }
        return sorted;
    }

    private static void visit(TableDefinition table, Map<String, TableDefinition> byName, Set<String> done,
                              List<String> path, List<TableDefinition> sorted) throws RecoveryException {
        if (done.contains(table.name())) {
            return;
        }
        int onPath = path.indexOf(table.name());
        if (onPath >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(onPath, path.size()));
            cycle.add(table.name());
            throw new RecoveryException("foreign keys form a cycle: " + String.join(" -> ",
                    cycle.stream().map(SqlDialect::printable).toList())
                    + "; Bulwark cannot order these tables (drop or defer one of the constraints)",
                    RecoveryException.WRONG_STATE);
        }
        path.add(table.name());
        for (TableDefinition.ForeignKey key : table.foreignKeys()) {
            TableDefinition referenced = byName.get(key.referencedTable());
            if (referenced != null && !referenced.name().equals(table.name())) {
                visit(referenced, byName, done, path, sorted);
            }
        }
        path.remove(path.size() - 1);
        done.add(table.name());
        sorted.add(table);
    }
}
