package dev.bulwark.recovery.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One read-only REPEATABLE READ transaction around a body; the connection's settings are restored after. */
final class Snapshot {

    interface Body<T> {
        T run() throws SQLException, IOException;
    }

    private Snapshot() {
    }

    /**
     * Runs {@code body} in the connection's open transaction when {@code currentTransaction} (as it is, seeing
     * its uncommitted changes), else in a snapshot of its own.
     */
    static <T> T inside(Connection connection, boolean currentTransaction, Body<T> body, String begin)
            throws SQLException, IOException {
        return currentTransaction ? body.run() : inside(connection, body, begin);
    }

    /** Runs {@code body} in a snapshot; {@code begin}, if given, is executed first to open it explicitly. */
    static <T> T inside(Connection connection, Body<T> body, String begin) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        boolean readOnly = connection.isReadOnly();
        if (!autoCommit) {
            connection.rollback(); // start from a fresh transaction, so the snapshot is taken now
        }
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        boolean done = false;
        try {
            if (begin != null) {
                try (Statement s = connection.createStatement()) {
                    s.execute(begin);
                }
            }
            T result = body.run();
            connection.commit();
            done = true;
            return result;
        } finally {
            if (!done) {
                rollbackKeepingCause(connection);
            }
            connection.setReadOnly(readOnly);
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void rollbackKeepingCause(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The original failure is already propagating; a failed rollback of a read-only snapshot changes nothing.
            org.slf4j.LoggerFactory.getLogger(Snapshot.class).debug("rollback of backup snapshot failed: {}", e.toString());
        }
    }

    static String fileName(int index) {
        return String.format("data/table-%04d.copy", index + 1);
    }

    static String columnList(SqlDialect sql, TableDefinition definition) throws SQLException {
        StringBuilder out = new StringBuilder();
        for (String column : definition.columnNames()) {
            out.append(out.length() == 0 ? "" : ", ").append(sql.quote(column));
        }
        return out.toString();
    }
}
