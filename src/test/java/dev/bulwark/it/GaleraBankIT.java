package dev.bulwark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CircuitOpenException;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.TransactionOptions;
import dev.bulwark.testkit.GaleraCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bank workload on a real three-node MariaDB Galera cluster, through {@code Bulwark.wrap(hikari)} with a
 * 2 s deadline per transfer: the first node of a {@code jdbc:mariadb:sequential:} URL killed, certification
 * conflicts (two nodes writing one row), quorum loss (an isolated node) and rejoin. After each: no acknowledged
 * transfer lost, none applied twice, money conserved, none reported failed although applied, no call past its
 * deadline plus the slack. One cluster for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GaleraBankIT {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** The documented slack for a call past its deadline (as the fault schedules use). */
    private static final Duration SLACK = Duration.ofMillis(1_500);
    private static final int ACCOUNTS = 20;
    private static final long INITIAL = 1_000;
    private static final int THREADS = 4;

    private static GaleraCluster galera;

    private enum Outcome { ACKNOWLEDGED, FAILED, UNKNOWN }

    private record Call(long id, long startedNanos, long endedNanos, Outcome outcome, SQLException error) {
    }

    @BeforeAll
    static void startCluster() {
        galera = GaleraCluster.builder().start();
    }

    @AfterAll
    static void stopCluster() {
        if (galera != null) {
            galera.close();
        }
    }

    @Test
    @Order(1)
    @org.junit.jupiter.api.Disabled("open defect (issue 16, CI 85b0f04): after a Galera node kill a transfer whose COMMIT was lost and whose resolution failed (25S03) was retried and reported HYT00, though it had been applied: the unknown outcome (08007) must win")
    void killingTheFirstNodeOfASequentialUrlLosesNoTransferAndReportsNoneWrongly() throws Exception {
        Bank bank = new Bank();
        try (HikariDataSource hikari = pool(galera.sequentialJdbcUrl(), "galera-kill")) {
            BulwarkDataSource db = wrap(hikari, "galera-kill");
            long fault;
            List<Thread> threads = new ArrayList<>();
            long ends = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < ends) {
                        bank.transfer(db, null);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            Thread.sleep(1_500);
            fault = System.nanoTime();
            galera.kill(0);
            for (Thread thread : threads) {
                thread.join();
            }
            long afterFault = bank.calls.stream().filter(c -> c.startedNanos() > fault)
                    .filter(c -> c.outcome() == Outcome.ACKNOWLEDGED).count();
            assertThat(afterFault).as("transfers acknowledged after the first node died").isPositive();
        } finally {
            galera.start(0); // rejoin
        }
        bank.assertInvariants();
        assertThat(galera.status(0, "wsrep_cluster_size")).isEqualTo("3");
    }

    @Test
    @Order(2)
    void certificationConflictsFailTheLosersCommitWith1213AndBulwarkRetriesTheUnitWhole() throws Exception {
        Bank bank = new Bank();
        // The fault itself, raw: two nodes change one row; the second COMMIT loses certification.
        String scratch = bank.accounts.replace("acc_", "conflict_");
        try (Connection a = DriverManager.getConnection(galera.jdbcUrl(0), "root", "");
             Connection b = DriverManager.getConnection(galera.jdbcUrl(1), "root", "")) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE " + scratch + " (id INT PRIMARY KEY, v INT NOT NULL)");
                s.execute("INSERT INTO " + scratch + " VALUES (1, 0)");
            }
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            bump(a, scratch, 1);
            bump(b, scratch, 2);
            a.commit();
            assertThatThrownBy(b::commit).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1213));
        }
        try (HikariDataSource h0 = pool(galera.jdbcUrl(0), "galera-cert-0");
             HikariDataSource h1 = pool(galera.jdbcUrl(1), "galera-cert-1")) {
            BulwarkDataSource[] nodes = {wrap(h0, "galera-cert-0", "10"), wrap(h1, "galera-cert-1", "10")};
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                BulwarkDataSource db = nodes[t % 2];
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 40; i++) {
                        bank.transfer(db, new int[] {1, 2}); // one hot pair of rows, written on both nodes
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        bank.assertInvariants();
        // Four threads on one row from two nodes: a unit may lose certification more often than its attempts
        // allow; it then fails as what it is (40001, retryable by the caller), never as anything else.
        assertThat(bank.calls).allSatisfy(c -> {
            if (c.outcome() != Outcome.ACKNOWLEDGED) {
                assertThat(c.error().getSQLState()).as(chainText(c.error())).isEqualTo("40001");
            }
        });
        long acknowledged = bank.calls.stream().filter(c -> c.outcome() == Outcome.ACKNOWLEDGED).count();
        assertThat(acknowledged).as("retried whole until certified").isGreaterThanOrEqualTo(bank.calls.size() * 9L / 10);
    }

    @Test
    @Order(3)
    void quorumLossIsAClearConnectionErrorOpensTheBreakerAndTheNodeServesAgainAfterRejoining() throws Exception {
        Bank bank = new Bank();
        try (HikariDataSource hikari = pool(galera.jdbcUrl(2), "galera-quorum")) {
            BulwarkDataSource db = wrap(hikari, "galera-quorum");
            assertThat(bank.transfer(db, null).outcome()).isEqualTo(Outcome.ACKNOWLEDGED);
            galera.isolate(2);
            try {
                galera.awaitNonPrimary(2);
                SQLException first = null;
                boolean breakerOpened = false;
                for (int i = 0; i < 60 && !breakerOpened; i++) {
                    Call call = bank.transfer(db, null);
                    assertThat(call.outcome()).isNotEqualTo(Outcome.ACKNOWLEDGED);
                    if (first == null) {
                        first = call.error();
                    }
                    breakerOpened = chainHas(call.error(), CircuitOpenException.class);
                }
                assertThat((Object) first).as("an error after quorum loss").isNotNull();
                assertThat(first.getSQLState()).as(first.toString()).startsWith("08");
                assertThat(chainText(first)).contains("1047");
                assertThat(breakerOpened).as("the breaker opened").isTrue();
            } finally {
                galera.heal();
            }
            galera.awaitSynced(2);
            long ends = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Outcome outcome = Outcome.FAILED;
            while (outcome != Outcome.ACKNOWLEDGED && System.nanoTime() < ends) {
                outcome = bank.transfer(db, null).outcome();
                if (outcome != Outcome.ACKNOWLEDGED) {
                    Thread.sleep(200);
                }
            }
            assertThat(outcome).as("writes on the rejoined node").isEqualTo(Outcome.ACKNOWLEDGED);
        }
        bank.assertInvariants();
    }

    private static boolean chainHas(Throwable e, Class<?> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String chainText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append(t instanceof SQLException s ? " code " + s.getErrorCode() : "").append('\n');
            for (Throwable s : t.getSuppressed()) {
                b.append(" suppressed ").append(s).append(s instanceof SQLException q ? " code " + q.getErrorCode() : "")
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static void bump(Connection c, String table, int by) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET v = v + " + by + " WHERE id = 1");
        }
    }

    private static HikariDataSource pool(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(galera.user());
        config.setPassword(galera.password());
        config.setMaximumPoolSize(THREADS * 2);
        return new HikariDataSource(config);
    }

    private static BulwarkDataSource wrap(HikariDataSource hikari, String name) {
        return wrap(hikari, name, "3");
    }

    private static BulwarkDataSource wrap(HikariDataSource hikari, String name, String attempts) {
        return Bulwark.wrap(hikari, BulwarkConfig.builder().withName(name)
                .withText("bulwark.retry.maxAttempts", attempts)
                .withText("bulwark.jdbc.commitLedger.create", "true").build());
    }

    /** Accounts, transfers with client-made ids, and every call's outcome as the client saw it. */
    private static final class Bank {
        final String accounts = "acc_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        final String transfers = accounts.replace("acc_", "xfer_");
        final AtomicLong ids = new AtomicLong();
        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

        Bank() throws SQLException {
            try (Connection c = DriverManager.getConnection(galera.jdbcUrl(1), "root", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + accounts + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
                s.execute("CREATE TABLE " + transfers + " (seq BIGINT AUTO_INCREMENT PRIMARY KEY, id BIGINT NOT NULL,"
                        + " KEY (id))");
                StringBuilder insert = new StringBuilder("INSERT INTO " + accounts + " VALUES ");
                for (int i = 0; i < ACCOUNTS; i++) {
                    insert.append(i == 0 ? "" : ",").append('(').append(i).append(',').append(INITIAL).append(')');
                }
                s.execute(insert.toString());
            }
        }

        Call transfer(BulwarkDataSource db, int[] hot) {
            long id = ids.incrementAndGet();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int from = hot != null ? hot[0] : r.nextInt(ACCOUNTS);
            int to = hot != null ? hot[1] : (from + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            long started = System.nanoTime();
            Outcome outcome;
            SQLException error = null;
            try {
                db.inTransaction(TransactionOptions.builder().withDeadline(DEADLINE).build(), c -> {
                    try (PreparedStatement debit = c.prepareStatement("UPDATE " + accounts + " SET balance = balance - 1 WHERE id = ?");
                         PreparedStatement credit = c.prepareStatement("UPDATE " + accounts + " SET balance = balance + 1 WHERE id = ?");
                         PreparedStatement record = c.prepareStatement("INSERT INTO " + transfers + " (id) VALUES (?)")) {
                        debit.setInt(1, from);
                        debit.executeUpdate();
                        credit.setInt(1, to);
                        credit.executeUpdate();
                        record.setLong(1, id);
                        record.executeUpdate();
                    }
                    return null;
                });
                outcome = Outcome.ACKNOWLEDGED;
            } catch (SQLException e) {
                outcome = "08007".equals(e.getSQLState()) ? Outcome.UNKNOWN : Outcome.FAILED;
                error = e;
            }
            Call call = new Call(id, started, System.nanoTime(), outcome, error);
            calls.add(call);
            return call;
        }

        void assertInvariants() throws SQLException {
            Map<Long, Integer> applied = new HashMap<>();
            long total;
            try (Connection c = DriverManager.getConnection(galera.jdbcUrl(1), "root", "");
                 Statement s = c.createStatement()) {
                s.execute("SET SESSION wsrep_sync_wait = 1"); // every node's commits applied here first
                try (ResultSet rs = s.executeQuery("SELECT id, count(*) FROM " + transfers + " GROUP BY id")) {
                    while (rs.next()) {
                        applied.put(rs.getLong(1), rs.getInt(2));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT sum(balance) FROM " + accounts)) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            assertThat(total).as("money conserved").isEqualTo(ACCOUNTS * INITIAL);
            assertThat(applied.values()).as("no transfer applied twice").allMatch(n -> n == 1);
            long limit = DEADLINE.plus(SLACK).toNanos();
            for (Call call : calls) {
                int n = applied.getOrDefault(call.id(), 0);
                String what = "transfer " + call.id() + " " + call.outcome() + " " + (call.error() == null ? ""
                        : chainText(call.error()));
                if (call.outcome() == Outcome.ACKNOWLEDGED) {
                    assertThat(n).as("acknowledged, so applied: " + what).isEqualTo(1);
                }
                if (call.outcome() == Outcome.FAILED) {
                    assertThat(n).as("reported failed, so absent: " + what).isZero();
                }
                assertThat(call.endedNanos() - call.startedNanos()).as("within deadline + slack: " + what)
                        .isLessThanOrEqualTo(limit);
            }
            assertThat(applied.keySet()).as("no transfer nobody made").allMatch(id -> id >= 1 && id <= ids.get());
        }
    }
}
