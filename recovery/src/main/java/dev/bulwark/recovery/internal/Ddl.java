package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.RecoveryException;

import java.util.List;

/**
 * CREATE TABLE statements from recorded {@link TableDefinition}s. Names are quoted; declared types may
 * come from a manifest that could have been edited, so each must match the strict grammar of
 * {@link ColumnType} (a type name, precision, a fixed suffix, array markers) and is refused otherwise.
 */
public final class Ddl {

    private Ddl() {
    }

    /**
     * The CREATE TABLE statement for a definition.
     *
     * @throws RecoveryException 42602 for an unsafe name or type
     */
    public static String createTable(SqlDialect sql, TableDefinition table) throws RecoveryException {
        StringBuilder out = new StringBuilder("CREATE TABLE ").append(sql.quote(table.name())).append(" (");
        for (int i = 0; i < table.columns().size(); i++) {
            TableDefinition.Column column = table.columns().get(i);
            if (!ColumnType.isSafe(column.type())) {
                throw new RecoveryException("table " + SqlDialect.printable(table.name()) + " column "
                        + SqlDialect.printable(column.name()) + ": type " + SqlDialect.printable(column.type())
                        + " cannot be recreated safely; create the table yourself and restore into it",
                        RecoveryException.INVALID_NAME);
            }
            out.append(i == 0 ? "" : ", ").append(sql.quote(column.name())).append(' ').append(column.type());
            if (!column.nullable()) {
                out.append(" NOT NULL");
            }
        }
        if (!table.primaryKey().isEmpty()) {
            out.append(", PRIMARY KEY (").append(names(sql, table.primaryKey())).append(')');
        }
        for (TableDefinition.ForeignKey key : table.foreignKeys()) {
            out.append(", FOREIGN KEY (").append(names(sql, key.columns())).append(") REFERENCES ")
                    .append(sql.quote(key.referencedTable())).append(" (").append(names(sql, key.referencedColumns()))
                    .append(')');
        }
        return out.append(')').toString();
    }

    static String names(SqlDialect sql, List<String> names) throws RecoveryException {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(out.length() == 0 ? "" : ", ").append(sql.quote(name));
        }
        return out.toString();
    }
}
