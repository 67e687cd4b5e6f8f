package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.CommitResolution;
import dev.bulwark.core.JdbcConfig;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Whether lost commits are resolved is said where a user looks: the data source's start-up INFO line (on its
 * first connection) and the {@code commitResolution} component of {@code health()}, not only in a WARN.
 */
class CommitResolutionVisibilityIT {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.bulwark.jdbc.internal.Resolvers");
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        logger.setLevel(level);
    }

    @Test
    void mariadbByDefaultSaysResolutionIsOffInItsStartUpLineAndInHealth() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            assertOffByDefault(db);
        }
    }

    @Test
    void sqliteByDefaultSaysResolutionIsOffInItsStartUpLineAndInHealth() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            assertOffByDefault(db);
        }
    }

    @Test
    void resolutionConfiguredOffIsSaidOnceAtInfoAndInHealth() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String name = uniqueName();
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource(), BulwarkConfig.builder().withName(name)
                    .withJdbc(JdbcConfig.builder().withCommitResolution(CommitResolution.OFF).build()).build());
            for (int i = 0; i < 3; i++) {
                runUnit(ds);
            }
            assertThat(lines(name, Level.INFO)).singleElement().asString()
                    .contains("commit resolution is OFF (bulwark.jdbc.commitResolution=off)").contains("08007");
            assertThat(lines(name, Level.WARN)).isEmpty(); // the user chose it: nothing to warn about
            Health.Component c = ds.health().components().get("commitResolution");
            assertThat(c.status()).isEqualTo(Health.Status.UP);
            assertThat(c.details()).containsEntry("strategy", "OFF")
                    .containsEntry("reason", "bulwark.jdbc.commitResolution=off");
            assertThat((String) c.details().get("lostCommit")).contains("08007");
        }
    }

    @Test
    void postgresByDefaultResolvesByTransactionIdAndSaysSo() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            String name = uniqueName();
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource(), BulwarkConfig.builder().withName(name).build());
            assertThat(ds.health().components().get("commitResolution").details())
                    .containsEntry("strategy", "UNDECIDED");
            runUnit(ds);
            assertThat(lines(name, Level.INFO)).singleElement().asString()
                    .contains("commit resolution by TRANSACTION_ID");
            assertThat(ds.health().components().get("commitResolution").details())
                    .containsExactly(java.util.Map.entry("strategy", "TRANSACTION_ID"));
        }
    }

    private void assertOffByDefault(TestDatabase db) throws Exception {
        String name = uniqueName();
        BulwarkDataSource ds = Bulwark.wrap(db.dataSource(), BulwarkConfig.builder().withName(name).build());
        Health.Component before = ds.health().components().get("commitResolution");
        assertThat(before.details()).containsEntry("strategy", "UNDECIDED");
        runUnit(ds);
        runUnit(ds);

        List<String> info = lines(name, Level.INFO);
        assertThat(info).as("the start-up INFO line").singleElement().asString()
                .startsWith(name + ": commit resolution is OFF").contains("08007");
        assertThat(lines(name, Level.WARN)).singleElement().asString()
                .contains("bulwark.jdbc.commitLedger.create=true").contains("ledger");
        Health h = ds.health();
        Health.Component c = h.components().get("commitResolution");
        assertThat(c.status()).isEqualTo(Health.Status.UP);
        assertThat(c.details()).containsEntry("strategy", "OFF");
        assertThat((String) c.details().get("reason")).contains("ledger");
        assertThat((String) c.details().get("lostCommit")).contains("08007");
        assertThat(h.toJson()).contains("\"commitResolution\":{\"status\":\"UP\",\"strategy\":\"OFF\",\"reason\":");
    }

    private static void runUnit(BulwarkDataSource ds) throws Exception {
        ds.useTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
        });
    }

    /** This data source's lines at {@code level} (other tests' data sources may log on the same logger). */
    private List<String> lines(String name, Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith(name + ":")).toList();
    }

    private static String uniqueName() {
        return "visible-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
