package dev.bulwark.recovery.internal.forward;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commit ledger as store-and-forward uses it: one row per applied idempotency key, inserted in the same
 * transaction as the write, so that the row exists exactly when the write committed. The table is Bulwark's
 * own ({@code bulwark_commit_ledger}, created from bulwark-jdbc's shipped migration). Thread-safe.
 */
public final class Ledger {

    private static final String DEFAULT_NAME = "bulwark_commit_ledger";

    private final String table;
    private final boolean create;
    private volatile boolean ready;

    /** A ledger in {@code table} (already checked to be a plain identifier), created when missing if asked. */
    public Ledger(String table, boolean create) {
        this.table = table;
        this.create = create;
    }

    /**
     * Creates the table if allowed and missing, and checks that it can be read; once per process. Runs under
     * {@code deadline} when given (a direct write's), else the data source's.
     *
     * @throws SQLException the classified failure (a missing table without {@code create} is a programming
     *                      fault naming the table)
     */
    public void ensure(BulwarkDataSource dataSource, Optional<Duration> deadline) throws SQLException {
        if (ready) {
            return;
        }
        TransactionOptions.Builder options = TransactionOptions.builder().withIdempotent(true);
        deadline.ifPresent(options::withDeadline);
        dataSource.inAutoCommit(options.build(), c -> {
            if (create) {
                try (Statement s = c.createStatement()) {
                    for (String sql : migration(c)) {
                        s.execute(sql);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT unit_id FROM " + table + " WHERE 1 = 0").close();
            }
            return null;
        });
        ready = true;
    }

    /** Whether {@code ensure} has succeeded. */
    public boolean isReady() {
        return ready;
    }

    /**
     * Inside the caller's transaction: records the key and returns true, or returns false if it is already
     * recorded. One atomic insert-if-absent: when another transaction holding the same key is still committing
     * (a replay right after a lost COMMIT acknowledgement), the insert waits for it and then sees its row,
     * instead of failing with a duplicate key. The caller applies the write after a true and commits both.
     */
    public boolean claim(Connection connection, String key) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String sql = product.contains("postgres")
                ? "INSERT INTO " + table + " (unit_id) VALUES (?) ON CONFLICT (unit_id) DO NOTHING"
                : product.contains("mariadb") || product.contains("mysql")
                ? "INSERT IGNORE INTO " + table + " (unit_id) VALUES (?)"
                : product.contains("sqlite") ? "INSERT OR IGNORE INTO " + table + " (unit_id) VALUES (?)" : null;
        if (sql == null) {
            return selectThenInsert(connection, key);
        }
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, key);
            return s.executeUpdate() == 1;
        }
    }

    private boolean selectThenInsert(Connection connection, String key) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE unit_id = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + table + " (unit_id) VALUES (?)")) {
            s.setString(1, key);
            s.executeUpdate();
        }
        return true;
    }

    private List<String> migration(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String folder = product.contains("postgres") ? "postgresql"
                : product.contains("mariadb") || product.contains("mysql") ? "mariadb"
                : product.contains("sqlite") ? "sqlite" : null;
        if (folder == null) {
            throw new SQLException("no commit ledger migration ships for " + product + "; create table " + table
                    + " (unit_id VARCHAR(64) PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
                    + " yourself and set withCreateLedger(false)", "0A000");
        }
        String path = "META-INF/bulwark/migrations/" + folder + "/V1__commit_ledger.sql";
        StringBuilder sql = new StringBuilder();
        for (String line : read(path).split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String each : sql.toString().split(";")) {
            if (!each.isBlank()) {
                statements.add(each.strip().replace(DEFAULT_NAME, table));
            }
        }
        return statements;
    }

    private static String read(String path) {
        try (InputStream in = Ledger.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("bulwark-jdbc's resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
