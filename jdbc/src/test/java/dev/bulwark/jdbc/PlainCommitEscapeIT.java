package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial review of issue 12 items 9-10 on a plain (non-unit) connection: the application's transaction
 * ends by some other way than {@code commit()} and the acknowledgement is lost. The report must never say "not
 * applied" (or invite a retry) when the transaction committed: success, or 08007.
 */
class PlainCommitEscapeIT {

    interface Ending {
        void end(Connection c) throws SQLException;
    }

    static Stream<Object[]> cases() {
        Ending sqlCommit = c -> {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        };
        Ending autoCommitOn = c -> c.setAutoCommit(true);
        return Stream.of(
                new Object[] {"postgres, execute(COMMIT)", (UnitBoundariesIT.DbFactory) TestDatabases::postgres, sqlCommit},
                new Object[] {"postgres, setAutoCommit(true)", (UnitBoundariesIT.DbFactory) TestDatabases::postgres,
                        autoCommitOn});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aCommittedTransactionIsNeverReportedNotApplied(String name, UnitBoundariesIT.DbFactory factory,
                                                       Ending ending) throws Exception {
        try (TestDatabase db = factory.open(); FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(db.jdbcUrlVia(proxy.host(), proxy.port()));
            hc.setUsername(db.user());
            hc.setPassword(db.password());
            hc.setMaximumPoolSize(2);
            try (HikariDataSource pool = new HikariDataSource(hc)) {
                BulwarkDataSource ds = Bulwark.wrap(pool);
                SQLException e;
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    UnitBoundariesIT.insert(c, 1);
                    proxy.cutOnCommit(1);
                    e = catchThrowableOfType(SQLException.class, () -> ending.end(c));
                }
                assertThat(proxy.stats().commitsCut()).as("the COMMIT was cut").isEqualTo(1);
                int rows;
                try (Connection c = db.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM applied")) {
                    rs.next();
                    rows = rs.getInt(1);
                }
                assertThat(rows).as("the cut COMMIT reached the server").isEqualTo(1);
                if (e != null) {
                    assertThat(e.getSQLState()).as("%s reported for a committed transaction: %s", e.getSQLState(), e)
                            .isEqualTo("08007");
                }
            }
        }
    }
}
