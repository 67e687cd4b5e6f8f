package dev.bulwark.recovery.internal;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;

/** Loads a COPY text file with {@code COPY ... FROM STDIN}. Loaded only for PostgreSQL targets. */
final class PostgresImport {

    private PostgresImport() {
    }

    static long copyIn(Connection target, SqlDialect sql, TableDefinition table, InputStream in)
            throws SQLException, IOException {
        return target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + sql.quote(table.name()) + " ("
                + Snapshot.columnList(sql, table) + ") FROM STDIN", in);
    }
}
