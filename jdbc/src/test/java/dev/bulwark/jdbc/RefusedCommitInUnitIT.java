package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/transactions.md: a {@code commit()}, {@code rollback()} or {@code setAutoCommit(true)} refused inside a
 * unit leaves the unit rollback-only, even when the work catches the refusal and goes on: the caller believed
 * its writes committed (or undone), so they must not commit as the unit's (a transaction manager's
 * "separate" transaction on the unit's own connection, Spring's REQUIRES_NEW).
 */
class RefusedCommitInUnitIT {

    interface Escape {
        void run(Connection c) throws SQLException;
    }

    @ParameterizedTest
    @MethodSource("dev.bulwark.jdbc.UnitBoundariesIT#databases")
    void aSwallowedRefusedCommitRollbackOrAutoCommitLeavesNothingOfTheUnitCommitted(UnitBoundariesIT.DbFactory factory)
            throws Exception {
        Escape[] escapes = {Connection::commit, Connection::rollback, c -> c.setAutoCommit(true)};
        try (TestDatabase db = factory.open(); HikariDataSource pool = UnitBoundariesIT.pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool, BulwarkConfig.builder().withName("refused-commit").build());
            for (int i = 0; i < escapes.length; i++) {
                int unit = i;
                SQLException failure = catchThrowableOfType(SQLException.class, () -> ds.useTransaction(c -> {
                    UnitBoundariesIT.insert(c, unit);
                    try {
                        escapes[unit].run(c);
                    } catch (SQLException refused) {
                        assertThat(refused.getSQLState()).isEqualTo("25000");
                    }
                    UnitBoundariesIT.insert(c, unit); // the work goes on as if nothing happened
                }));
                assertThat((Throwable) failure).as("escape %d: the unit's outcome", unit).isNotNull();
                assertThat(failure.getSQLState()).as("%s", failure).isEqualTo("25000");
            }
            try (Connection c = pool.getConnection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM applied")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows of units that were refused a commit or rollback").isZero();
            }
        }
    }
}
