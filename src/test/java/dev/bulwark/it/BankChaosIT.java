package dev.bulwark.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BreakerConfig;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.core.RetryConfig;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The bank test, across the whole stack: accounts and concurrent transfers through HikariCP, Bulwark and a
 * FaultProxy, while sessions are killed, COMMITs are cut and every connection is dropped now and then.
 * Invariants: the total balance never changes; every transfer Bulwark acknowledged is applied exactly once;
 * every transfer reported failed is absent; a transfer reported unknown (08007) is present at most once.
 */
class BankChaosIT {

    private static final int ACCOUNTS = 20;
    private static final int START_BALANCE = 1_000;
    private static final int THREADS = 6;
    private static final int TRANSFERS_PER_THREAD = 60;

    private enum Outcome { ACKNOWLEDGED, FAILED, UNKNOWN }

    @Test
    void postgresBankSurvivesKillsCutsAndLostCommits() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            runBank(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'bank' AND pid <> pg_backend_pid() ORDER BY random() LIMIT 1",
                    "ApplicationName=bank");
        }
    }

    @Test
    void mariadbBankSurvivesCutsAndLostCommits() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            runBank(db, null, null);
        }
    }

    private void runBank(TestDatabase db, String killOneSession, String urlParameter) throws Exception {
        long seed = System.nanoTime();
        System.out.println("BankChaosIT seed " + seed + " on " + db.engine());
        db.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                "CREATE TABLE transfer (id VARCHAR(40) NOT NULL, src INT NOT NULL, dst INT NOT NULL, amount INT NOT NULL)");
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("INSERT INTO account VALUES (?, ?)")) {
            for (int i = 0; i < ACCOUNTS; i++) {
                p.setInt(1, i);
                p.setInt(2, START_BALANCE);
                p.addBatch();
            }
            p.executeBatch();
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        try (FaultProxy proxy = FaultProxy.builder(db.host(), db.port()).withSeed(seed).start();
             HikariDataSource pool = pool(db, proxy, urlParameter)) {
            // The breaker sees a busy system: a dropped connection costs up to THREADS failures at once, a small
            // share of a 100-call window, so it stays closed through these short blips (an outage opens it).
            BulwarkConfig config = BulwarkConfig.builder()
                    .withRetry(RetryConfig.builder().withMaxAttempts(10).build())
                    .withBreaker(BreakerConfig.builder().withSlidingWindowSize(100).withMinimumCalls(50).build())
                    .withJdbc(JdbcConfig.builder().withCreateCommitLedger(true).build()).build();
            BulwarkDataSource bank = Bulwark.wrap(pool, config);
            proxy.cutCommits(0.05);
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService workers = Executors.newFixedThreadPool(THREADS + 1);
            try {
                Future<?> chaos = workers.submit(() -> chaos(db, proxy, killOneSession, running, new Random(seed)));
                List<Future<?>> tellers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int teller = t;
                    tellers.add(workers.submit(() -> {
                        Random random = new Random(seed + teller);
                        for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                            String id = teller + "-" + i;
                            switch (transfer(bank, id, random)) {
                                case ACKNOWLEDGED -> acknowledged.add(id);
                                case FAILED -> failed.add(id);
                                case UNKNOWN -> unknown.add(id);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : tellers) {
                    f.get(3, TimeUnit.MINUTES);
                }
                running.set(false);
                chaos.get(1, TimeUnit.MINUTES);
            } finally {
                running.set(false);
                workers.shutdownNow();
            }
            System.out.printf("BankChaosIT %s: %d acknowledged, %d failed, %d unknown; %d commits cut, %d connections cut%n",
                    db.engine(), acknowledged.size(), failed.size(), unknown.size(), proxy.stats().commitsCut(),
                    proxy.stats().connectionsCut(FaultProxy.CutReason.CUT_ALL));
            assertThat(proxy.stats().commitsCut()).as("the run met lost commits").isPositive();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT sum(balance) FROM account")).as("money is conserved")
                    .isEqualTo((long) ACCOUNTS * START_BALANCE);
            List<String> applied = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM transfer")) {
                while (rs.next()) {
                    applied.add(rs.getString(1));
                }
            }
            assertThat(applied).as("no transfer applied twice").doesNotHaveDuplicates();
            assertThat(applied).as("every acknowledged transfer applied").containsAll(acknowledged);
            assertThat(failed).as("no failed transfer applied").noneMatch(applied::contains);
            assertThat(acknowledged.size()).as("most transfers get through the chaos")
                    .isGreaterThan(THREADS * TRANSFERS_PER_THREAD / 2);
        }
    }

    private static Outcome transfer(BulwarkDataSource bank, String id, Random random) {
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        int amount = 1 + random.nextInt(50);
        try {
            bank.inTransaction(c -> {
                move(c, from, -amount);
                move(c, to, amount);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO transfer VALUES (?, ?, ?, ?)")) {
                    p.setString(1, id);
                    p.setInt(2, from);
                    p.setInt(3, to);
                    p.setInt(4, amount);
                    return p.executeUpdate();
                }
            });
            return Outcome.ACKNOWLEDGED;
        } catch (SQLException e) {
            return "08007".equals(e.getSQLState()) ? Outcome.UNKNOWN : Outcome.FAILED;
        }
    }

    private static void move(Connection c, int account, int delta) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
            p.setInt(1, delta);
            p.setInt(2, account);
            p.executeUpdate();
        }
    }

    /** Now and then: kill one session (PostgreSQL) or drop every connection through the proxy. */
    private static Void chaos(TestDatabase db, FaultProxy proxy, String killOneSession, AtomicBoolean running,
                              Random random) throws Exception {
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            int round = 0;
            while (running.get()) {
                TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(200)); // the fault schedule, not a wait for state
                if (killOneSession != null && round % 2 == 0) {
                    s.execute(killOneSession);
                } else if (round % 5 == 1) {
                    proxy.cutAllConnections();
                }
                round++;
            }
        }
        return null;
    }

    private static HikariDataSource pool(TestDatabase db, FaultProxy proxy, String urlParameter) {
        HikariConfig c = new HikariConfig();
        String url = db.jdbcUrlVia(proxy.host(), proxy.port());
        c.setJdbcUrl(urlParameter == null ? url : url + (url.contains("?") ? "&" : "?") + urlParameter);
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(THREADS);
        c.setConnectionTimeout(5_000);
        c.setPoolName("bank-" + db.engine());
        return new HikariDataSource(c);
    }

    private static long scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
