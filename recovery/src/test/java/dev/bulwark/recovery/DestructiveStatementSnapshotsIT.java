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

    @ParameterizedTest
    @EnumSource(TestDatabase.Engine.class)
    void deleteSavesTheRowsThatCascadeFromItAndUndoBringsBothBack(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            db.execute("CREATE TABLE transfer (id INT PRIMARY KEY, account_id INT NOT NULL,"
                    + " amount INT, FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE)");
            db.execute("INSERT INTO transfer VALUES (1, 1, 100), (2, 1, 200), (3, 7, 300)");
            List<TableChecksum> before = new ArrayList<>();
            try (Connection c = db.connect()) {
                before.add(TableChecksum.compute(c, "account"));
                before.add(TableChecksum.compute(c, "transfer"));
            }
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            try (Connection c = ds.getConnection()) {
                if (engine == TestDatabase.Engine.SQLITE) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA foreign_keys = ON"); // off by default in SQLite, per connection
                    }
                }
                try (java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM account")) {
                    ps.executeUpdate(); // a prepared statement is checked as well
                }
            }
            assertThat(count(db, "transfer")).as("the cascade removed the transfers").isZero();
            assertThat(snapshots.list()).singleElement()
                    .satisfies(s -> assertThat(s.tables()).containsExactly("account", "transfer"));
            snapshots.undoLast(ds);
            try (Connection c = db.connect()) {
                assertThat(List.of(TableChecksum.compute(c, "account"), TableChecksum.compute(c, "transfer")))
                        .isEqualTo(before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Engine.class, names = "POSTGRESQL") // pgjdbc runs several statements in one string
    void aMultiStatementStringIsSnapshottedAsTheTablesWereBeforeItRan(TestDatabase.Engine engine) throws Exception {
        try (TestDatabase db = fresh(engine)) {
            createAccount(db, "account");
            createAccount(db, "archive");
            TableChecksum account;
            TableChecksum archive;
            try (Connection c = db.connect()) {
                account = TableChecksum.compute(c, "account");
                archive = TableChecksum.compute(c, "archive");
            }
            DestructiveStatementSnapshots snapshots = snapshots(10);
            BulwarkDataSource ds = Bulwark.builder(db.dataSource()).withStatementObserver(snapshots).build();

            run(ds, "INSERT INTO account VALUES (99, 'x', 1); TRUNCATE archive; /* ; */ DELETE FROM account");

            assertThat(snapshots.list()).extracting(StatementSnapshot::operation)
                    .containsExactly("DELETE without WHERE", "TRUNCATE");
            snapshots.undo(snapshots.list().get(0).id(), ds);
            snapshots.undo(snapshots.list().get(1).id(), ds);
            try (Connection c = db.connect()) {
                assertThat(TableChecksum.compute(c, "account")).isEqualTo(account);
                assertThat(TableChecksum.compute(c, "archive")).isEqualTo(archive);
            }
        }
    }
}
