package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Adversarial (review R1): docs/spring-boot.md promises that a method with Spring's {@code @Transactional}
 * (REQUIRED) called inside a Bulwark unit "takes part in the unit and commits nothing of its own". Spring tells
 * an application that its transaction committed through {@link TransactionSynchronization#afterCommit()} (and
 * {@code @TransactionalEventListener(phase = AFTER_COMMIT)}, which is built on it): such a callback must run
 * once, when the unit commits, and never for a unit that rolled back or an attempt that was retried.
 */
class SpringSynchronizationInUnitIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.postgres();
        db.execute("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                "INSERT INTO account VALUES (1, 100), (2, 100)");
        BulwarkSpringPostgresIT.CURRENT.set(db);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, AopAutoConfiguration.class, BulwarkAutoConfiguration.class))
                .withUserConfiguration(Services.class)
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(),
                        "spring.datasource.username=" + db.user(),
                        "spring.datasource.hikari.connection-timeout=1000", "bulwark.retry.max-attempts=3");
    }

    @Test
    void aSpringParticipantsAfterCommitCallbackDoesNotRunForAUnitThatRolledBack() {
        runner().run(context -> {
            BulwarkTransactions tx = context.getBean(BulwarkTransactions.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Services.Notifier notifier = context.getBean(Services.Notifier.class);
            assertThatThrownBy(() -> tx.executeWithoutResult(() -> {
                notifier.debitAndNotifyAfterCommit(1, 10); // Spring @Transactional(REQUIRED): joins the unit
                throw new IllegalStateException("business rule after the participant returned");
            })).hasMessageContaining("business rule");
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class))
                    .as("the unit rolled back").isEqualTo(100);
            assertThat(notifier.afterCommits())
                    .as("afterCommit callbacks run for a unit that rolled back (the application was told it committed)")
                    .isZero();
        });
    }

    @Test
    void aSpringParticipantsAfterCommitCallbackRunsOnceForAUnitRetriedWhole() {
        runner().run(context -> {
            BulwarkTransactions tx = context.getBean(BulwarkTransactions.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Services.Notifier notifier = context.getBean(Services.Notifier.class);
            AtomicInteger attempts = new AtomicInteger();
            tx.executeWithoutResult(() -> {
                notifier.debitAndNotifyAfterCommit(1, 10);
                if (attempts.incrementAndGet() == 1) {
                    BulwarkSpringPostgresIT.killOwnSession(jdbc, db); // a real fault: the attempt is retried whole
                }
                jdbc.update("UPDATE account SET balance = balance + 10 WHERE id = 2");
            });
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class))
                    .as("committed once").isEqualTo(90);
            assertThat(notifier.afterCommits())
                    .as("afterCommit callbacks for a unit that committed once")
                    .isEqualTo(1);
        });
    }

    /**
     * docs/spring-boot.md: "REQUIRES_NEW is not supported inside a unit ... the unit's own connection, whose commit
     * the unit refuses". Unsupported must still not break the unit: a caller that catches the refused inner
     * transaction and goes on gets a unit that commits whole (its writes before and after) or fails, never half.
     */
    @Test
    void aRefusedRequiresNewInsideAUnitNeverLeavesHalfTheUnitCommitted() {
        runner().run(context -> {
            BulwarkTransactions tx = context.getBean(BulwarkTransactions.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Services.Separate separate = context.getBean(Services.Separate.class);
            Throwable failure = null;
            try {
                tx.executeWithoutResult(() -> {
                    jdbc.update("UPDATE account SET balance = balance - 10 WHERE id = 1");
                    try {
                        separate.audit(2); // REQUIRES_NEW: unsupported inside a unit, fails
                    } catch (RuntimeException refused) {
                        // the application goes on without its audit
                    }
                    jdbc.update("UPDATE account SET balance = balance + 10 WHERE id = 1 + 1");
                });
            } catch (RuntimeException e) {
                failure = e;
            }
            int one = jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class);
            int two = jdbc.queryForObject("SELECT balance FROM account WHERE id = 2", Integer.class);
            assertThat(one + two).as("total after a unit reported %s (1: %d, 2: %d)",
                    failure == null ? "committed" : failure.toString(), one, two).isEqualTo(200);
            if (failure == null) {
                assertThat(one).as("the unit's first write, reported committed").isEqualTo(90);
            }
        });
    }

    /** transactions.md: a failed inner (nested) unit's writes are never committed by the outer one, in Spring too. */
    @Test
    void aFailedNestedBulwarkMethodsWritesAreNotCommittedByTheOuterUnit() {
        runner().run(context -> {
            BulwarkTransactions tx = context.getBean(BulwarkTransactions.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Services.Separate separate = context.getBean(Services.Separate.class);
            tx.executeWithoutResult(() -> {
                jdbc.update("UPDATE account SET balance = balance - 10 WHERE id = 1");
                try {
                    separate.nestedThenFail(2);
                } catch (IllegalStateException expected) {
                    // the nested unit failed; the outer one goes on
                }
            });
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 1", Integer.class)).isEqualTo(90);
            assertThat(jdbc.queryForObject("SELECT balance FROM account WHERE id = 2", Integer.class))
                    .as("the failed nested unit's write").isEqualTo(100);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {
        @Bean
        Notifier notifier(JdbcTemplate jdbc) {
            return new Notifier(jdbc);
        }

        @Bean
        Separate separate(JdbcTemplate jdbc) {
            return new Separate(jdbc);
        }

        /** A Spring service that wants its own transaction. */
        static class Separate {
            final JdbcTemplate jdbc;

            Separate(JdbcTemplate jdbc) {
                this.jdbc = jdbc;
            }

            @dev.bulwark.jdbc.annotations.Transactional
            public void nestedThenFail(int id) {
                jdbc.update("UPDATE account SET balance = balance + 1000 WHERE id = ?", id);
                throw new IllegalStateException("nested unit fails after its write");
            }

            @org.springframework.transaction.annotation.Transactional(
                    propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
            public void audit(int id) {
                jdbc.update("UPDATE account SET balance = balance + 1000 WHERE id = ?", id);
            }
        }

        /** A Spring service that sends a message once its transaction committed (the usual outbox-less shape). */
        static class Notifier {
            final JdbcTemplate jdbc;
            final AtomicInteger afterCommits = new AtomicInteger();

            Notifier(JdbcTemplate jdbc) {
                this.jdbc = jdbc;
            }

            public int afterCommits() {
                return afterCommits.get();
            }

            @org.springframework.transaction.annotation.Transactional
            public void debitAndNotifyAfterCommit(int id, int amount) {
                jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", amount, id);
                if (TransactionSynchronizationManager.isSynchronizationActive()) {
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            afterCommits.incrementAndGet();
                        }
                    });
                }
            }
        }
    }
}
