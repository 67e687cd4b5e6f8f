package dev.bulwark.recovery;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestructiveStatementSnapshotsIT {

    @TempDir
    Path root;

    static TestDatabase fresh(TestDatabase.Engine engine) throws Exception {
        return BackupsIT.fresh(engine);
    }

    static void createAccount(TestDatabase db, String quotedName) throws SQLException {
        db.execute("CREATE TABLE " + quotedName + " (id INT PRIMARY KEY, owner VARCHAR(100) NOT NULL, balance DECIMAL(12,2))");
        StringBuilder insert = new StringBuilder("INSERT INTO " + quotedName + " VALUES ");
        for (int i = 1; i <= 50; i++) {
            insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", 'owner ").append(i).append(" ü', ")
                    .append(i * 10).append(".25)");
        }
        db.execute(insert.toString());
    }

    static String quote(TestDatabase db, String name) {
        return db.engine() == TestDatabase.Engine.MARIADB ? '`' + name.replace("`", "``") + '`'
                : '"' + name.replace("\"", "\"\"") + '"';
    }

    static void run(BulwarkDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(TestDatabase db, String quotedName) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quotedName)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> columns(TestDatabase db, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect();
             ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), table, null)) {
            while (rs.next()) {
                names.add(rs.getString("COLUMN_NAME"));
            }
        }
        return names;
    }

    DestructiveStatementSnapshots snapshots(int keep) throws Exception {
        return DestructiveStatementSnapshots.builder(root.resolve("snapshots")).withKeepLast(keep).build();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void dropTableIsSnapshottedAndUndoBringsTheTableAndItsRowsBack(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            TableChecksum before;
            try (Connection c = db.connect()) {
                before = TableChecksum.compute(c, "account");
            }
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            run(ds, "DROP TABLE account");

            assertThat(snapshots.list()).singleElement().satisfies(s -> {
                assertThat(s.operation()).isEqualTo("DROP TABLE");
                assertThat(s.tables()).containsExactly("account");
            });
            assertThatThrownBy(() -> count(db, "account")).isInstanceOf(SQLException.class);
            List<TableChecksum> restored = snapshots.undoLast(ds);
            assertThat(restored).containsExactly(before);
            try (Connection c = db.connect()) {
                assertThat(TableChecksum.compute(c, "account")).isEqualTo(before);
            }
            assertThat(before.rowCount()).isEqualTo(50);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = {"POSTGRESQL", "MARIADB"}) // SQLite has no TRUNCATE
    void truncateIsUndone(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            TableChecksum before;
            try (Connection c = db.connect()) {
                before = TableChecksum.compute(c, "account");
            }
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            run(ds, "TRUNCATE TABLE account");
            assertThat(count(db, "account")).isZero();
            run(ds, "TRUNCATE account");  // empty now: snapshotted again, an empty table
            assertThat(snapshots.list()).hasSize(2);

            snapshots.undo(snapshots.list().get(1).id(), ds);
            try (Connection c = db.connect()) {
                assertThat(TableChecksum.compute(c, "account")).isEqualTo(before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void deleteWithoutWhereIsUndoneAndDeleteWithWhereTakesNoSnapshot(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            run(ds, "DELETE FROM account WHERE id > 40");
            run(ds, "delete from account where (id = 1)");
            assertThat(snapshots.list()).as("DELETE with WHERE is not snapshotted").isEmpty();
            TableChecksum before;
            try (Connection c = db.connect()) {
                before = TableChecksum.compute(c, "account");
            }
            assertThat(before.rowCount()).isEqualTo(39);

            run(ds, "DELETE /* everything */ FROM account -- no WHERE here");
            assertThat(count(db, "account")).isZero();
            assertThat(snapshots.list()).singleElement()
                    .satisfies(s -> assertThat(s.operation()).isEqualTo("DELETE without WHERE"));

            run(ds, "INSERT INTO account VALUES (1000, 'new', 1)");
            snapshots.undoLast(ds);
            try (Connection c = db.connect()) {
                assertThat(TableChecksum.compute(c, "account")).as("back to the snapshot exactly").isEqualTo(before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void alterTableDropColumnIsUndoneWithTheColumnAndItsData(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            TableChecksum before;
            try (Connection c = db.connect()) {
                before = TableChecksum.compute(c, "account");
            }
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            run(ds, "ALTER TABLE account DROP COLUMN balance");
            assertThat(columns(db, "account")).containsExactly("id", "owner");

            snapshots.undoLast(ds);
            assertThat(columns(db, "account")).containsExactly("id", "owner", "balance");
            try (Connection c = db.connect()) {
                assertThat(TableChecksum.compute(c, "account")).isEqualTo(before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void deleteInsideATransactionSavesTheTransactionsOwnRows(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            TableChecksum seenInside = ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO account VALUES (51, 'uncommitted', 5)");
                    TableChecksum sum = TableChecksum.compute(c, "account");
                    s.executeUpdate("DELETE FROM account");
                    return sum;
                }
            });
            assertThat(seenInside.rowCount()).isEqualTo(51);
            assertThat(count(db, "account")).isZero();

            snapshots.undoLast(ds);
            try (Connection c = db.connect()) {
                assertThat(TableChecksum.compute(c, "account")).isEqualTo(seenInside);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void retentionKeepsTheLastSnapshotsOnly(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            DestructiveStatementSnapshots snapshots = snapshots(2);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();
            List<String> ids = new ArrayList<>();
            for (String name : List.of("t1", "t2", "t3")) {
                createAccount(db, name);
                run(ds, "DROP TABLE " + name);
                ids.add(snapshots.list().get(0).id());
            }
            List<StatementSnapshot> kept = snapshots.list();
            assertThat(kept).extracting(s -> s.tables().get(0)).containsExactly("t3", "t2");
            assertThat(kept).extracting(StatementSnapshot::id).containsExactly(ids.get(2), ids.get(1));
            snapshots.undo(ids.get(1), ds);
            assertThat(count(db, "t2")).isEqualTo(50);
            assertThatThrownBy(() -> snapshots.undo(ids.get(0), ds))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("no snapshot")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(RecoveryException.UNKNOWN_TABLE);
            assertThatThrownBy(() -> snapshots.undo("../" + ids.get(1), ds))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("not a snapshot id");
            try (var files = java.nio.file.Files.list(root.resolve("snapshots"))) {
                assertThat(files.count()).as("two backup directories and their two properties files").isEqualTo(4);
            }
        }
    }
}
