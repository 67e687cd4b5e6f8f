package dev.bulwark.benchmarks.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The bank workload of the cluster scenarios: N accounts, transfers of one unit each (two UPDATEs and one
 * INSERT of the transfer's unique id in one transaction), every call's outcome recorded by the client, then
 * checked against the database: acknowledged transfers present exactly once, none applied twice, money
 * conserved, none reported failed although applied. Thread-safe.
 */
final class BankLedger {

    static final int ACCOUNTS = 50;
    static final long INITIAL = 1_000;

    /** How one call ended, as the application saw it. */
    enum Outcome { ACKNOWLEDGED, FAILED, UNKNOWN }

    record Call(long transferId, long startedNanos, long endedNanos, Outcome outcome, String error) {
        long millis() {
            return (endedNanos - startedNanos) / 1_000_000;
        }
    }

    /** The unit each stack runs: applies transfer {@code id} from {@code from} to {@code to}. */
    interface Transfer {
        void run(long id, int from, int to) throws SQLException;
    }

    private final String table;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    BankLedger(String table) {
        this.table = table;
    }

    String accounts() {
        return table + "_accounts";
    }

    String transfers() {
        return table + "_transfers";
    }

    void create(DataSource admin) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + accounts() + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE " + transfers() + " (seq BIGINT AUTO_INCREMENT PRIMARY KEY, id BIGINT NOT NULL,"
                    + " src INT NOT NULL, dst INT NOT NULL, KEY (id))");
            StringBuilder insert = new StringBuilder("INSERT INTO " + accounts() + " VALUES ");
            for (int i = 0; i < ACCOUNTS; i++) {
                insert.append(i == 0 ? "" : ",").append('(').append(i).append(',').append(INITIAL).append(')');
            }
            s.execute(insert.toString());
        }
    }

    /** The statements of one transfer, on {@code c} inside the caller's transaction. */
    void apply(Connection c, long id, int from, int to) throws SQLException {
        try (PreparedStatement debit = c.prepareStatement("UPDATE " + accounts() + " SET balance = balance - 1 WHERE id = ?");
             PreparedStatement credit = c.prepareStatement("UPDATE " + accounts() + " SET balance = balance + 1 WHERE id = ?");
             PreparedStatement record = c.prepareStatement("INSERT INTO " + transfers() + " (id, src, dst) VALUES (?, ?, ?)")) {
            debit.setInt(1, from);
            debit.executeUpdate();
            credit.setInt(1, to);
            credit.executeUpdate();
            record.setLong(1, id);
            record.setInt(2, from);
            record.setInt(3, to);
            record.executeUpdate();
        }
    }

    /** One call: a fresh transfer id, random accounts (or {@code hot} ones when given), the outcome recorded. */
    Call transferOnce(Transfer transfer, int[] hot) {
        long id = ids.incrementAndGet();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int from = hot != null ? hot[0] : r.nextInt(ACCOUNTS);
        int to = hot != null ? hot[1] : (from + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long started = System.nanoTime();
        Outcome outcome;
        String error = null;
        try {
            transfer.run(id, from, to);
            outcome = Outcome.ACKNOWLEDGED;
        } catch (SQLException e) {
            outcome = "08007".equals(e.getSQLState()) ? Outcome.UNKNOWN : Outcome.FAILED;
            error = describe(e, "");
        } catch (RuntimeException e) {
            outcome = Outcome.FAILED;
            error = e.toString();
        }
        Call call = new Call(id, started, System.nanoTime(), outcome, error);
        calls.add(call);
        return call;
    }

    /** The exception, its causes and suppressed exceptions, one line each (for misreported calls). */
    static String describe(Throwable e, String indent) {
        StringBuilder b = new StringBuilder(indent).append(e.getClass().getSimpleName());
        if (e instanceof SQLException sql) {
            b.append(' ').append(sql.getSQLState()).append('/').append(sql.getErrorCode());
        }
        String m = String.valueOf(e.getMessage());
        b.append(": ").append(m.length() > 200 ? m.substring(0, 200) : m);
        if (indent.length() < 12) {
            for (Throwable s : e.getSuppressed()) {
                b.append('\n').append(describe(s, indent + "  s "));
            }
            if (e.getCause() != null && e.getCause() != e) {
                b.append('\n').append(describe(e.getCause(), indent + "  c "));
            }
        }
        return b.toString();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** What the database says against what the clients were told. */
    record Check(int acknowledged, int failed, int unknown, int lost, int duplicated, int misreported,
                 long totalBalance, long expectedTotal, int rowsWithoutCall) {
        boolean holds() {
            return lost == 0 && duplicated == 0 && misreported == 0 && totalBalance == expectedTotal
                    && rowsWithoutCall == 0;
        }
    }

    Check check(DataSource admin) throws SQLException {
        Map<Long, Integer> applied = new HashMap<>();
        long total;
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, count(*) FROM " + transfers() + " GROUP BY id")) {
                while (rs.next()) {
                    applied.put(rs.getLong(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT sum(balance) FROM " + accounts())) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        int ack = 0;
        int failed = 0;
        int unknown = 0;
        int lost = 0;
        int misreported = 0;
        Map<Long, Boolean> seen = new HashMap<>();
        for (Call call : calls) {
            int n = applied.getOrDefault(call.transferId(), 0);
            seen.put(call.transferId(), true);
            switch (call.outcome()) {
                case ACKNOWLEDGED -> {
                    ack++;
                    if (n == 0) {
                        lost++;
                    }
                }
                case FAILED -> {
                    failed++;
                    if (n > 0) {
                        misreported++;
                        System.out.println("MISREPORTED transfer " + call.transferId() + " (applied " + n + "x):\n"
                                + call.error());
                    }
                }
                case UNKNOWN -> unknown++;
            }
        }
        int duplicated = (int) applied.values().stream().filter(n -> n > 1).count();
        int orphans = (int) applied.keySet().stream().filter(id -> !seen.containsKey(id)).count();
        return new Check(ack, failed, unknown, lost, duplicated, misreported, total, ACCOUNTS * INITIAL, orphans);
    }
}
