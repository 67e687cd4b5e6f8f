package dev.bulwark.testkit;

import static dev.bulwark.testkit.ChaosDatabases.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bulwark.testkit.TestDatabase.Engine;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an injection writes to the log: enough to repeat the run, SQL text only at DEBUG under its own logger. */
class ChaosLoggingIT {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.bulwark.testkit.ChaosDataSource");
    private final Logger sqlLogger = (Logger) LoggerFactory.getLogger("dev.bulwark.testkit.ChaosDataSource.sql");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final ListAppender<ILoggingEvent> sqlEvents = new ListAppender<>();
    private Level previous;
    private Level previousSql;

    @BeforeEach
    void capture() {
        previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        events.start();
        logger.addAppender(events);
        previousSql = sqlLogger.getLevel();
        sqlLogger.setLevel(Level.DEBUG);
        sqlEvents.start();
        sqlLogger.addAppender(sqlEvents);
        sqlLogger.setAdditive(false);
    }

    @AfterEach
    void restore() {
        logger.detachAppender(events);
        logger.setLevel(previous);
        sqlLogger.detachAppender(sqlEvents);
        sqlLogger.setLevel(previousSql);
        sqlLogger.setAdditive(true);
    }

    @Test
    void injectionIsLoggedAtInfoWithSeedPointCallAndRuleButWithoutSqlText() throws Exception {
        try (TestDatabase db = open(Engine.SQLITE)) {
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(31)
                    .on(ChaosRule.atExecute().withSqlMatching("orders").fail("40001")).build());
            try (Connection c = chaos.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO orders (id, note) VALUES (1, 'card 4111')"))
                        .hasMessageNotContaining("4111");
            }
        }
        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage())
                    .contains("seed=31", "EXECUTE call #1", "rule 0", "SQLState 40001")
                    .doesNotContain("4111", "INSERT");
        });
        assertThat(sqlEvents.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).contains("INSERT INTO orders");
        });
    }
}
