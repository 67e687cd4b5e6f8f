package dev.bulwark.recovery;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static dev.bulwark.recovery.DestructiveStatementSnapshotsIT.count;
import static dev.bulwark.recovery.DestructiveStatementSnapshotsIT.createAccount;
import static dev.bulwark.recovery.DestructiveStatementSnapshotsIT.quote;
import static dev.bulwark.recovery.DestructiveStatementSnapshotsIT.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostileStatementSnapshotsIT {

    private static final List<String> HOSTILE = List.of("we\"ird;DROP TABLE bait;--", "back`tick", "Ünïcödé 表", "select");

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void hostileNamesAreSnapshottedAndRestoredWithoutEverRunningAsSql(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = DestructiveStatementSnapshotsIT.fresh(engine)) {
            createAccount(db, "bait");
            DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(root).build();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();
            for (String name : HOSTILE) {
                createAccount(db, quote(db, name));
                TableChecksum before;
                try (Connection c = db.connect()) {
                    before = TableChecksum.compute(c, name);
                }
                run(ds, "DROP TABLE " + quote(db, name));
                assertThat(snapshots.list().get(0).tables()).containsExactly(name);
                assertThat(snapshots.undoLast(ds)).containsExactly(before);
                assertThat(count(db, quote(db, name))).isEqualTo(50);
            }
            assertThat(count(db, "bait")).as("no name ran as SQL").isEqualTo(50);
            assertThat(snapshots.list()).hasSize(HOSTILE.size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void aDestructiveStatementThatCannotBeReadIsRefusedAndNotRun(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = DestructiveStatementSnapshotsIT.fresh(engine)) {
            createAccount(db, "account");
            DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(root).build();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();
            String unreadable = switch (engine) {
                case POSTGRESQL -> "WITH gone AS (DELETE FROM account RETURNING *) SELECT count(*) FROM gone";
                case MARIADB -> "DELETE account FROM account";
                case SQLITE -> "WITH x AS (SELECT 1) DELETE FROM account";
            };
            assertThatThrownBy(() -> run(ds, unreadable))
                    .isInstanceOf(RecoveryException.class)
                    .hasMessageStartingWith("statement refused and not run")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(RecoveryException.INVALID_NAME);
            assertThatThrownBy(() -> run(ds, "DROP TABLE " + quote(db, "acc\u0001ount")))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("control character");
            assertThat(count(db, "account")).as("the refused statements did not run").isEqualTo(50);
            assertThat(snapshots.list()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aNameQualifiedWithTheCurrentSchemaIsSnapshottedAndAnotherSchemaIsRefused(TestDatabase.Engine engine)
            throws Exception {
        try (TestDatabase db = DestructiveStatementSnapshotsIT.fresh(engine);
             TestDatabase other = DestructiveStatementSnapshotsIT.fresh(engine)) {
            createAccount(db, "account");
            createAccount(other, "account");
            DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(root).build();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            assertThatThrownBy(() -> run(ds, "TRUNCATE TABLE " + quote(db, other.name()) + ".account"))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("snapshots cover only")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(RecoveryException.NOT_SUPPORTED);
            assertThat(count(other, "account")).isEqualTo(50);

            run(ds, "TRUNCATE TABLE " + quote(db, db.name()) + ".account");
            assertThat(count(db, "account")).isZero();
            snapshots.undoLast(ds);
            assertThat(count(db, "account")).isEqualTo(50);
        }
    }

    @Test
    void aBatchOfPlainStatementsIsRefusedBecauseItsTextsAreNotVisible() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            createAccount(db, "account");
            DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(root).build();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();
            try (Connection c = ds.getConnection(); var s = c.createStatement()) {
                s.addBatch("DELETE FROM account");
                assertThatThrownBy(s::executeBatch).isInstanceOf(RecoveryException.class)
                        .hasMessageContaining("PreparedStatement batch");
            }
            assertThat(count(db, "account")).isEqualTo(50);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void undoRefusesToCascadeIntoATableOutsideTheSnapshotUnlessAsked(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = DestructiveStatementSnapshotsIT.fresh(engine)) {
            db.execute("CREATE TABLE account (id INT PRIMARY KEY)", "INSERT INTO account VALUES (1), (2)");
            DestructiveStatementSnapshots snapshots = DestructiveStatementSnapshots.builder(root).build();
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();
            run(ds, "DELETE FROM account");
            db.execute("INSERT INTO account VALUES (5)",
                    "CREATE TABLE audit (n INT PRIMARY KEY, account_id INT, FOREIGN KEY (account_id) REFERENCES account (id)"
                            + " ON DELETE CASCADE)", "INSERT INTO audit VALUES (1, 5)");

            assertThatThrownBy(() -> snapshots.undoLast(ds)).isInstanceOf(RecoveryException.class)
                    .hasMessageContaining("'audit'").hasMessageContaining("undoLast(target, true)")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(RecoveryException.WRONG_STATE));
            assertThat(count(db, "audit")).isEqualTo(1);
            assertThat(count(db, "account")).isEqualTo(1);

            snapshots.undoLast(ds, true);
            assertThat(count(db, "account")).isEqualTo(2);
            assertThat(count(db, "audit")).as("asked for: the cascade ran").isZero();
        }
    }
}
