package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter on real PostgreSQL with real faults: a service method is retried whole after its session is
 * killed, Spring's {@code @Transactional} joins Bulwark's unit, health follows an outage, credentials stay out.
 */
class BulwarkSpringPostgresIT {

    private TestDatabase db;
    private FaultProxy proxy;
    private final String canaryPassword = "canary-" + UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.postgres();
        db.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                "INSERT INTO account VALUES (1, 100), (2, 100)");
        proxy = FaultProxy.start(db.host(), db.port());
        CURRENT.set(db);
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        db.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, AopAutoConfiguration.class, BulwarkAutoConfiguration.class,
                        org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration.class))
                .withUserConfiguration(Services.class)
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrlVia(proxy.host(), proxy.port()),
                        "spring.datasource.username=" + db.user(), "spring.datasource.password=" + canaryPassword,
                        "spring.datasource.hikari.connection-timeout=1000", "bulwark.retry.max-attempts=3");
    }

    /** Kills the backend serving {@code jdbc}'s current connection, from outside, as an administrator would. */
    static void killOwnSession(JdbcTemplate jdbc, TestDatabase db) {
        Integer pid = jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAnnotatedServiceMethodIsRetriedWholeOnAFreshSpringTransactionAfterItsSessionIsKilled() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            Services.Bank bank = context.getBean(Services.Bank.class);
            bank.transfer(1, 2, 30, true);
            assertThat(bank.attempts()).as("attempts").isEqualTo(2);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            // the killed attempt's debit is gone with its transaction; the retry's transfer is there once
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class)).isEqualTo(70);
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 2", Integer.class)).isEqualTo(130);
        });
    }

    @Test
    void bulwarkTransactionsRetriesTheCallbackAndSpringTransactionalMethodsInsideJoinIt() {
        runner().run(context -> {
            BulwarkTransactions tx = context.getBean(BulwarkTransactions.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Services.Audit audit = context.getBean(Services.Audit.class);
            AtomicInteger attempts = new AtomicInteger();
            int balance = tx.execute(() -> {
                audit.debit(1, 10); // Spring @Transactional(REQUIRED): joins the unit, commits nothing itself
                if (attempts.incrementAndGet() == 1) {
                    killOwnSession(jdbc, db);
                }
                jdbc.update("UPDATE account SET balance = balance + 10 WHERE id = 2");
                return jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class);
            });
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(balance).isEqualTo(90);
            assertThat(jdbc.queryForObject("SELECT sum(balance) FROM account", Integer.class)).isEqualTo(200);

            // a failure after the Spring method took its share rolls the whole unit back, its debit included
            assertThatThrownBy(() -> tx.executeWithoutResult(() -> {
                audit.debit(1, 50);
                throw new IllegalStateException("business rule");
            })).hasMessage("business rule");
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class)).isEqualTo(90);
        });
    }

    @Test
    void aUnitStartedInsideASpringManagedTransactionIsRefused() {
        runner().run(context -> {
            BulwarkTransactions tx = context.getBean(BulwarkTransactions.class);
            TransactionTemplate spring = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            assertThatThrownBy(() -> spring.executeWithoutResult(s -> tx.execute(() -> 1)))
                    .isInstanceOf(IllegalTransactionStateException.class)
                    .hasMessageContaining("cannot retry a transaction it did not start");
        });
    }

    @Test
    void healthIsDownDuringAnOutageAndUpAfterwardsWithoutCredentials() {
        runner().run(context -> {
            HealthIndicator health = context.getBean("bulwarkHealthIndicator", HealthIndicator.class);
            var up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsKey("dataSource");

            proxy.refuseNewConnections(true);
            proxy.cutAllConnections();
            var down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> ds = (Map<String, Object>) down.getDetails().get("dataSource");
            assertThat(ds).containsEntry("status", "DOWN").containsKey("components");
            assertThat(down.toString()).doesNotContain(canaryPassword);

            proxy.clearFaults();
            proxy.refuseNewConnections(false);
            // the pool refills and the next probe answers: polled, at most 20 s (not a timing claim)
            var after = awaitStatus(health, Status.UP);
            assertThat(after.getStatus()).isEqualTo(Status.UP);
            assertThat(after.toString()).doesNotContain(canaryPassword);
            assertThat(((BulwarkDataSource) context.getBean(javax.sql.DataSource.class)).health().toJson())
                    .doesNotContain(canaryPassword);
        });
    }

    static org.springframework.boot.actuate.health.Health awaitStatus(HealthIndicator health, Status wanted)
            throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        var last = health.health();
        while (!last.getStatus().equals(wanted) && System.nanoTime() < until) {
            Thread.sleep(200);
            last = health.health();
        }
        return last;
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {
        @Bean
        Bank bank(JdbcTemplate jdbc) {
            return new Bank(jdbc);
        }

        @Bean
        Audit audit(JdbcTemplate jdbc) {
            return new Audit(jdbc);
        }

        /** A service with both Bulwark's and Spring's @Transactional: Bulwark's retry is outside Spring's transaction. */
        static class Bank {
            final JdbcTemplate jdbc;
            final AtomicInteger attempts = new AtomicInteger();
            Bank(JdbcTemplate jdbc) {
                this.jdbc = jdbc;
            }

            public int attempts() {
                return attempts.get();
            }

            @dev.bulwark.jdbc.annotations.Transactional
            @org.springframework.transaction.annotation.Transactional
            public void transfer(int from, int to, int amount, boolean killFirstAttempt) {
                jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", amount, from);
                if (attempts.incrementAndGet() == 1 && killFirstAttempt) {
                    killOwnSession(jdbc, CURRENT.get());
                }
                jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, to);
            }
        }

        static class Audit {
            final JdbcTemplate jdbc;

            Audit(JdbcTemplate jdbc) {
                this.jdbc = jdbc;
            }

            @org.springframework.transaction.annotation.Transactional
            public void debit(int id, int amount) {
                jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", amount, id);
            }
        }
    }

    /** The test's database, for the service that kills its own session. */
    static final ThreadLocal<TestDatabase> CURRENT = new ThreadLocal<>();
}
