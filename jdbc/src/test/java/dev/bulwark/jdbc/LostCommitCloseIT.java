package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkEvent;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A lost COMMIT resolved on a connection whose {@code close()} then throws an unchecked exception (a buggy pool or
 * proxy): the answer read before the close counts, and the unit that committed is reported committed, exactly
 * once. Found by the fault schedules (seed 81519): before, the close's RuntimeException escaped the resolution
 * and the committed unit was reported failed.
 */
class LostCommitCloseIT {

    @Test
    void aResolutionConnectionWhoseCloseThrowsDoesNotTurnACommittedUnitIntoAFailedOne() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(db.jdbcUrlVia(proxy.host(), proxy.port()));
            c.setUsername(db.user());
            c.setPassword(db.password());
            c.setMaximumPoolSize(2);
            c.setConnectionTimeout(5_000);
            c.setPoolName("lost-commit-close");
            try (HikariDataSource pool = new HikariDataSource(c)) {
                FailingEndsDataSource ends = new FailingEndsDataSource(pool);
                List<BulwarkEvent> events = new CopyOnWriteArrayList<>();
                BulwarkDataSource ds = Bulwark.builder(ends).withConfig(BulwarkConfig.builder()
                        .withName("lost-commit-close").build()).withListener(events::add).build();
                ds.inTransaction(conn -> null); // warms up: the resolver is chosen
                int result = ds.inTransaction(conn -> {
                    try (PreparedStatement p = conn.prepareStatement("INSERT INTO applied (unit) VALUES (1)")) {
                        p.executeUpdate();
                    }
                    proxy.cutOnCommit(1);
                    ends.failNextClose(); // the next close is the resolution connection's
                    return 7;
                });
                assertThat(result).isEqualTo(7);
                assertThat(proxy.stats().commitsCut()).isEqualTo(1);
                assertThat(events).filteredOn(JdbcEvent.CommitResolved.class::isInstance).singleElement()
                        .extracting(e -> ((JdbcEvent.CommitResolved) e).outcome()).isEqualTo(CommitOutcome.COMMITTED);
            }
            try (Connection direct = db.connect(); Statement s = direct.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows of the one unit").isEqualTo(1);
            }
        }
    }
}
