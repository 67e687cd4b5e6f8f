package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bank-style schema for backup tests: money moves between two tables in transactions, and new accounts
 * open with +x in one table and -x in the other, so the grand total never changes. A consistent
 * snapshot keeps that total; a torn one does not.
 */
final class Bank implements AutoCloseable {

    static final int ACCOUNTS = 200;
    static final long TOTAL = ACCOUNTS * 2_000L;

    private final TestDatabase db;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread writer;

    Bank(TestDatabase db) {
        this.db = db;
    }

    void create() throws SQLException {
        String text = db.engine() == TestDatabase.Engine.MARIADB ? "VARCHAR(40) CHARACTER SET utf8mb4" : "VARCHAR(40)";
        db.execute("CREATE TABLE account (id INT PRIMARY KEY, owner " + text + " NOT NULL)",
                "CREATE TABLE checking (account_id INT PRIMARY KEY REFERENCES account (id), amount BIGINT NOT NULL)",
                "CREATE TABLE savings (account_id INT PRIMARY KEY REFERENCES account (id), amount BIGINT NOT NULL)");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (int id = 1; id <= ACCOUNTS; id++) {
                open(c, id, 1000, 1000);
            }
            c.commit();
        }
    }

    private static void open(Connection c, int id, long checking, long savings) throws SQLException {
        try (PreparedStatement a = c.prepareStatement("INSERT INTO account VALUES (?, ?)");
             PreparedStatement ch = c.prepareStatement("INSERT INTO checking VALUES (?, ?)");
             PreparedStatement sv = c.prepareStatement("INSERT INTO savings VALUES (?, ?)")) {
            a.setInt(1, id);
            a.setString(2, "owner " + id + " ü");
            a.executeUpdate();
            ch.setInt(1, id);
            ch.setLong(2, checking);
            ch.executeUpdate();
            sv.setInt(1, id);
            sv.setLong(2, savings);
            sv.executeUpdate();
        }
    }

    /** Starts a thread that transfers money and opens accounts until {@link #close()}. */
    void startWriter() {
        writer = new Thread(() -> {
            Random random = new Random(7);
            int nextId = ACCOUNTS + 1;
            try (Connection c = db.connect()) {
                if (db.engine() == TestDatabase.Engine.SQLITE) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA busy_timeout = 10000");
                    }
                }
                c.setAutoCommit(false);
                while (!stop.get()) {
                    if (random.nextInt(5) == 0) {
                        long x = random.nextInt(100);
                        open(c, nextId++, x, -x);
                    } else {
                        int from = 1 + random.nextInt(ACCOUNTS);
                        int to = 1 + random.nextInt(ACCOUNTS);
                        long amount = 1 + random.nextInt(50);
                        update(c, "checking", from, -amount);
                        update(c, "savings", to, amount);
                    }
                    c.commit();
                    commits.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "bank-writer");
        writer.start();
    }

    private static void update(Connection c, String table, int id, long delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET amount = amount + ? WHERE account_id = ?")) {
            ps.setLong(1, delta);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    long commits() {
        return commits.get();
    }

    /** Waits (by polling the commit count, bounded) until the writer has committed at least {@code n} more times. */
    void awaitCommits(long n) throws InterruptedException {
        long target = commits.get() + n;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (commits.get() < target && failure.get() == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        if (failure.get() != null) {
            throw new AssertionError("writer failed", failure.get());
        }
    }

    static long total(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT SUM(amount) FROM checking) + (SELECT SUM(amount) FROM savings)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        if (writer != null) {
            writer.join(30_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("writer failed", failure.get());
        }
    }
}
