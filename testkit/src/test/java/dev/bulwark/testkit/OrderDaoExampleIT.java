package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The example of docs/testkit.md, run as written: a user's DAO tested under faults. */
@BulwarkTest
class OrderDaoExampleIT {

    static ChaosPlan firstCommitLosesItsAcknowledgement() {
        return ChaosPlan.builder()
                .withSeed(2024)
                .on(ChaosRule.atCommit().withCall(1).loseAcknowledgement())
                .build();
    }

    @Test
    void savesOnceWhenTheCommitAcknowledgementIsLost(@Postgres TestDatabase db,
            @Postgres @Chaos(plan = "firstCommitLosesItsAcknowledgement") ChaosDataSource chaos) throws Exception {
        db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(100) NOT NULL)");

        new OrderDao(chaos).save(1, "book");

        assertThat(rows(db)).isEqualTo(1);
        assertThat(chaos.injected()).extracting(InjectedFault::point).containsExactly(FaultPoint.COMMIT);
    }

    @Test
    void retriesASerializationFailure(@MariaDb TestDatabase db, @MariaDb @Chaos(seed = 7, value =
            @Chaos.Fault(at = FaultPoint.EXECUTE, sql = "(?i)^insert", call = 1, sqlState = "40001"))
            ChaosDataSource chaos) throws Exception {
        db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(100) NOT NULL)");

        new OrderDao(chaos).save(1, "book");

        assertThat(rows(db)).isEqualTo(1);
        assertThat(chaos.injections(FaultPoint.EXECUTE)).isEqualTo(1);
    }

    @Test
    void givesUpWhenNoConnectionCanBeHad(@Sqlite TestDatabase db, @Sqlite @Chaos(seed = 7, value =
            @Chaos.Fault(at = FaultPoint.ACQUIRE, sqlState = "08001")) ChaosDataSource chaos) throws Exception {
        db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(100) NOT NULL)");

        assertThatThrownBy(() -> new OrderDao(chaos).save(1, "book"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(chaos.calls(FaultPoint.ACQUIRE)).isEqualTo(3);
        assertThat(rows(db)).isZero();
    }

    private static int rows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
