package dev.bulwark.cli.internal.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The demo's bank: an accounts table and a transfers table, the transfer itself and the checks that
 * prove it stayed correct. The tables are prefixed {@code bulwark_demo_} so the demo only ever drops
 * its own tables when it runs against a server of yours.
 *
 * <p>The transfers table deliberately has no unique key on {@code transfer_id}: a transfer applied twice
 * must show up as two rows, not be refused by the database.
 *
 * <p>Immutable and thread-safe.
 */
final class Bank {

    static final String ACCOUNTS = "bulwark_demo_accounts";
    static final String TRANSFERS = "bulwark_demo_transfers";
    static final long OPENING_BALANCE = 1_000;

    private final int accounts;

    Bank(int accounts) {
        this.accounts = accounts;
    }

    int accounts() {
        return accounts;
    }

    long expectedTotal() {
        return accounts * OPENING_BALANCE;
    }

    /** Drops and creates the demo's two tables and opens every account with the same balance. */
    void create(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TRANSFERS);
            s.execute("DROP TABLE IF EXISTS " + ACCOUNTS);
            s.execute("CREATE TABLE " + ACCOUNTS + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE " + TRANSFERS + " (transfer_id VARCHAR(40) NOT NULL, from_account INT NOT NULL,"
                    + " to_account INT NOT NULL, amount BIGINT NOT NULL)");
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + ACCOUNTS + " (id, balance) VALUES (?, ?)")) {
                for (int id = 0; id < accounts; id++) {
                    p.setInt(1, id);
                    p.setLong(2, OPENING_BALANCE);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
            c.setAutoCommit(autoCommit);
        }
    }

    /** Moves money inside the caller's transaction: debit, credit, and the transfer's own row. */
    void transfer(Connection c, Transfer t) throws SQLException {
        try (PreparedStatement debit = c.prepareStatement(
                "UPDATE " + ACCOUNTS + " SET balance = balance - ? WHERE id = ?")) {
            debit.setLong(1, t.amount());
            debit.setInt(2, t.from());
            debit.executeUpdate();
        }
        try (PreparedStatement credit = c.prepareStatement(
                "UPDATE " + ACCOUNTS + " SET balance = balance + ? WHERE id = ?")) {
            credit.setLong(1, t.amount());
            credit.setInt(2, t.to());
            credit.executeUpdate();
        }
        try (PreparedStatement row = c.prepareStatement("INSERT INTO " + TRANSFERS
                + " (transfer_id, from_account, to_account, amount) VALUES (?, ?, ?, ?)")) {
            row.setString(1, t.id());
            row.setInt(2, t.from());
            row.setInt(3, t.to());
            row.setLong(4, t.amount());
            row.executeUpdate();
        }
    }

    /** What the database holds after a run: the total balance and how often each transfer id was applied. */
    Ledger read(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            long total;
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(balance), 0) FROM " + ACCOUNTS)) {
                rs.next();
                total = rs.getLong(1);
            }
            Map<String, Integer> applied = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT transfer_id FROM " + TRANSFERS)) {
                while (rs.next()) {
                    applied.merge(rs.getString(1), 1, Integer::sum);
                }
            }
            return new Ledger(total, applied);
        }
    }

    /** One transfer: a unique id, two distinct accounts and an amount. */
    record Transfer(String id, int from, int to, long amount) {
    }

    /** The database's view after a run. */
    record Ledger(long total, Map<String, Integer> applied) {
    }
}
