package dev.bulwark.recovery.internal;

import java.util.List;

/**
 * What Bulwark records of a table to recreate it: columns in ordinal order with their declared
 * types, the primary key and the foreign keys. Defaults, indexes, checks and sequences are not kept.
 */
public record TableDefinition(String name, List<Column> columns, List<String> primaryKey, List<ForeignKey> foreignKeys) {

    public TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** One column: name, declared type as the catalog spells it, nullability. */
    public record Column(String name, String type, boolean nullable) {
    }

    /** A foreign key from {@code columns} to {@code referencedColumns} of {@code referencedTable}. */
    public record ForeignKey(List<String> columns, String referencedTable, List<String> referencedColumns) {
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }

    /** The column names in ordinal order. */
    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
