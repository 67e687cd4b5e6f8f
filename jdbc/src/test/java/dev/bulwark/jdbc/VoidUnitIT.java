package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Units that return nothing ({@link VoidWork}) behave as units that return a value: committed once, retried whole
 * on a fresh transaction, rolled back on failure; autocommit work is retried only when idempotent.
 */
class VoidUnitIT {

    private static void insert(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + id + ")");
        }
    }

    private static long rows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aVoidUnitIsRetriedWholeAndCommittedOnce() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            // The second INSERT of the first attempt fails with a serialization failure: the whole unit runs again.
            ChaosDataSource chaos = ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(1)
                    .on(ChaosRule.atExecute().withSqlMatching("(?i)^insert").withCall(2).fail("40001")).build());
            BulwarkDataSource ds = Bulwark.wrap(chaos);
            AtomicInteger attempts = new AtomicInteger();
            ds.useTransaction(c -> {
                attempts.incrementAndGet();
                insert(c, 1);
                insert(c, 2);
            });
            assertThat(attempts).hasValue(2);
            assertThat(rows(db)).isEqualTo(2);

            ds.useTransaction(TransactionOptions.builder().withReadOnly(false).build(), c -> insert(c, 3));
            assertThat(rows(db)).isEqualTo(3);
        }
    }

    @Test
    void aFailingVoidUnitIsRolledBackAndItsErrorReachesTheCaller() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            BulwarkDataSource ds = Bulwark.wrap(db.dataSource());
            assertThatThrownBy(() -> ds.useTransaction(c -> {
                insert(c, 1);
                throw new IllegalStateException("business rule");
            })).isInstanceOf(IllegalStateException.class).hasMessage("business rule");
            assertThatThrownBy(() -> ds.useTransaction(c -> {
                insert(c, 1);
                insert(c, 1);
            })).isInstanceOf(java.sql.SQLIntegrityConstraintViolationException.class);
            assertThat(rows(db)).isZero();
            assertThatThrownBy(() -> ds.useTransaction(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("work");
        }
    }

    @Test
    void voidAutoCommitWorkIsRetriedOnlyWhenIdempotent() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> firstExecuteFails(db).useAutoCommit(TransactionOptions.defaults(), c -> {
                attempts.incrementAndGet();
                insert(c, 1);
            })).isInstanceOf(SQLException.class).satisfies(e ->
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            assertThat(attempts).hasValue(1);

            attempts.set(0);
            firstExecuteFails(db).useAutoCommit(TransactionOptions.builder().withIdempotent(true).build(), c -> {
                attempts.incrementAndGet();
                insert(c, 2);
            });
            assertThat(attempts).hasValue(2);
            assertThat(rows(db)).isEqualTo(1);
        }
    }

    private static BulwarkDataSource firstExecuteFails(TestDatabase db) {
        return Bulwark.wrap(ChaosDataSource.wrap(db.dataSource(), ChaosPlan.builder().withSeed(1)
                .on(ChaosRule.atExecute().withSqlMatching("(?i)^insert").withCall(1).fail("40001")).build()));
    }
}
