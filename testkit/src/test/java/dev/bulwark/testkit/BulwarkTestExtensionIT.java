package dev.bulwark.testkit;

import static dev.bulwark.testkit.ChaosDatabases.count;
import static dev.bulwark.testkit.ChaosDatabases.insert;
import static dev.bulwark.testkit.ChaosDatabases.selectOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testkit.TestDatabase.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

/** Parameters the extension resolves, used as a test author would. */
@BulwarkTest
class BulwarkTestExtensionIT {

    private final String table = "orders";

    static ChaosPlan lostAck() {
        return ChaosPlan.builder().withSeed(21).on(ChaosRule.atCommit().withCall(1).loseAcknowledgement()).build();
    }

    ChaosPlan failInsertsIntoTheTable() {
        return ChaosPlan.builder().withSeed(22)
                .on(ChaosRule.atExecute().withSqlMatching("(?i)insert into " + table).fail("23505")).build();
    }

    @Test
    void resolvesAFreshDatabaseOfEachEngineSharedWithinTheTest(@Postgres TestDatabase pg, @Postgres TestDatabase pg2,
            @MariaDb TestDatabase maria, @Sqlite TestDatabase lite) throws Exception {
        assertThat(pg2).isSameAs(pg);
        assertThat(pg.engine()).isEqualTo(Engine.POSTGRESQL);
        assertThat(maria.engine()).isEqualTo(Engine.MARIADB);
        assertThat(lite.engine()).isEqualTo(Engine.SQLITE);
        for (TestDatabase db : new TestDatabase[] {pg, maria, lite}) {
            db.execute("CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40))");
            try (Connection c = db.connect()) {
                insert(c, 1);
            }
            assertThat(count(db, "id = 1")).isEqualTo(1);
        }
    }

    @Test
    void chaosFromAStaticPlanMethodWrapsTheDeclaredDatabase(@MariaDb TestDatabase db,
            @MariaDb @Chaos(plan = "lostAck") ChaosDataSource chaos) throws Exception {
        db.execute("CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40))");
        try (Connection c = chaos.getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            assertThatThrownBy(c::commit).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
        }
        assertThat(count(db, "id = 1")).isEqualTo(1);
        assertThat(chaos.seed()).isEqualTo(21);
    }

    @Test
    void chaosFromAnInstancePlanMethod(@Postgres TestDatabase db,
            @Postgres @Chaos(plan = "failInsertsIntoTheTable") ChaosDataSource chaos) throws Exception {
        db.execute("CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40))");
        try (Connection c = chaos.getConnection()) {
            assertThatThrownBy(() -> insert(c, 1)).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
        }
        assertThat(count(db, "1 = 1")).isZero();
    }

    @Test
    void chaosFromFaultsDeclaredInTheAnnotation(@Sqlite TestDatabase db, @Sqlite @Chaos(seed = 42, value = {
            @Chaos.Fault(at = FaultPoint.EXECUTE, call = 2, sqlState = "40001", vendorCode = 5),
            @Chaos.Fault(at = FaultPoint.COMMIT, action = Chaos.Action.LOSE_ACKNOWLEDGEMENT)})
            ChaosDataSource chaos) throws Exception {
        db.execute("CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40))");
        assertThat(chaos.seed()).isEqualTo(42);
        try (Connection c = chaos.getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLTransactionRollbackException.class)
                    .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(5);
            assertThatThrownBy(c::commit).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
        }
        assertThat(count(db, "id = 1")).isEqualTo(1);
        assertThat(chaos.injected()).extracting(InjectedFault::point)
                .containsExactly(FaultPoint.EXECUTE, FaultPoint.COMMIT);
    }
}
