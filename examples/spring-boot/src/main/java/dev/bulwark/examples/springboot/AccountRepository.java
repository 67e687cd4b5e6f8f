package dev.bulwark.examples.springboot;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Accounts and the transfers between them, in plain {@code JdbcTemplate}. Inside a Bulwark unit of work each
 * call runs on the unit's connection (the starter binds it), so the calls commit, roll back and are retried
 * together. Thread-safe.
 */
@Repository
public class AccountRepository {

    private final JdbcTemplate jdbc;

    /** A repository on the application's (Bulwark-wrapped) DataSource. */
    public AccountRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens {@code count} accounts numbered from 1, each with {@code balance}, if there are none yet. */
    public void openAccounts(int count, long balance) {
        Long existing = jdbc.queryForObject("SELECT count(*) FROM account", Long.class);
        if (existing != null && existing == 0) {
            for (int id = 1; id <= count; id++) {
                jdbc.update("INSERT INTO account (id, balance) VALUES (?, ?)", id, balance);
            }
        }
    }

    /** Records the transfer {@code id}; a second attempt with the same id fails on the primary key. */
    public void recordTransfer(UUID id, int from, int to, long amount) {
        jdbc.update("INSERT INTO transfer (id, from_account, to_account, amount) VALUES (?, ?, ?, ?)",
                id, from, to, amount);
    }

    /** Adds {@code delta} (negative to take money out) to the account's balance. */
    public void addToBalance(int account, long delta) {
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", delta, account);
    }

    /** The sum of all balances. */
    public long totalBalance() {
        Long total = jdbc.queryForObject("SELECT coalesce(sum(balance), 0) FROM account", Long.class);
        return total == null ? 0 : total;
    }

    /** How many times transfer {@code id} is recorded (0 or 1). */
    public int timesRecorded(UUID id) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM transfer WHERE id = ?", Integer.class, id);
        return n == null ? 0 : n;
    }
}
