package dev.bulwark.recovery;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableChecksumIT {

    private static final String PG_TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(40) NOT NULL,"
            + " note TEXT, price NUMERIC(12,4), active BOOLEAN, created TIMESTAMP, born DATE, payload BYTEA)";
    private static final String MARIADB_TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(40) NOT NULL,"
            + " note TEXT, price DECIMAL(12,4), active BOOLEAN, created DATETIME(6), born DATE, payload BLOB)"
            + " CHARACTER SET utf8mb4";
    private static final String SQLITE_TABLE = "CREATE TABLE item (id INTEGER PRIMARY KEY, code VARCHAR(40) NOT NULL,"
            + " note TEXT, price NUMERIC(12,4), active BOOLEAN, created TIMESTAMP, born DATE, payload BLOB)";

    private record Row(long id, String code, String note, BigDecimal price, Boolean active, LocalDateTime created,
                       LocalDate born, byte[] payload) {
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(1, "a", "", new BigDecimal("12.5000"), true, LocalDateTime.of(2024, 1, 2, 3, 4, 5),
                LocalDate.of(2000, 2, 29), new byte[] {0, 1, (byte) 0xff}));
        rows.add(new Row(2, "b", null, null, null, null, null, null));
        rows.add(new Row(3, "Zürich ✓ 日本", "tab\there\nnewline \\ 'quote' \"dq\"", new BigDecimal("-0.0010"), false,
                LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_000_000), LocalDate.of(1970, 1, 1), new byte[0]));
        rows.add(new Row(4, "a", "null", new BigDecimal("100"), true, LocalDateTime.of(2030, 6, 1, 0, 0),
                LocalDate.of(2030, 6, 1), "x".getBytes()));
        return rows;
    }

    private static void load(TestDatabase db, String ddl, List<Row> rows) throws SQLException {
        db.execute(ddl);
        boolean sqlite = db.engine() == TestDatabase.Engine.SQLITE;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO item (id, code, note, price, active, created, born, payload) VALUES (?,?,?,?,?,?,?,?)")) {
            for (Row row : rows) {
                ps.setLong(1, row.id());
                ps.setString(2, row.code());
                ps.setString(3, row.note());
                ps.setBigDecimal(4, row.price());
                ps.setObject(5, row.active());
                if (sqlite) {
                    ps.setString(6, row.created() == null ? null : row.created().toString().replace('T', ' '));
                    ps.setString(7, row.born() == null ? null : row.born().toString());
                } else {
                    ps.setObject(6, row.created());
                    ps.setObject(7, row.born());
                }
                ps.setBytes(8, row.payload());
                ps.executeUpdate();
            }
        }
    }

    @Test
    void sameDataGivesTheSameChecksumOnPostgresMariaDbAndSqlite() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb();
             TestDatabase lite = TestDatabases.sqlite()) {
            load(pg, PG_TABLE, rows());
            load(maria, MARIADB_TABLE, rows());
            load(lite, SQLITE_TABLE, rows());

            TableChecksum onPg = TableChecksum.compute(pg.dataSource(), "item");
            TableChecksum onMaria = TableChecksum.compute(maria.dataSource(), "item");
            TableChecksum onSqlite = TableChecksum.compute(lite.dataSource(), "item");

            assertThat(onPg.rowCount()).isEqualTo(4);
            assertThat(onPg.sha256()).hasSize(64);
            assertThat(onMaria).isEqualTo(onPg);
            assertThat(onSqlite).isEqualTo(onPg);
        }
    }

    @Test
    void oneChangedValueChangesTheChecksum() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres()) {
            load(pg, PG_TABLE, rows());
            TableChecksum before = TableChecksum.compute(pg.dataSource(), "item");
            pg.execute("UPDATE item SET price = 12.5001 WHERE id = 1");
            TableChecksum after = TableChecksum.compute(pg.dataSource(), "item");
            assertThat(after.rowCount()).isEqualTo(before.rowCount());
            assertThat(after.matches(before)).isFalse();
        }
    }

    @Test
    void nullAndEmptyStringDiffer() throws Exception {
        try (TestDatabase lite = TestDatabases.sqlite()) {
            lite.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, NULL)");
            TableChecksum withNull = TableChecksum.compute(lite.dataSource(), "t");
            lite.execute("UPDATE t SET v = ''");
            assertThat(TableChecksum.compute(lite.dataSource(), "t").matches(withNull)).isFalse();
        }
    }

    @Test
    void textKeysAreReadInByteOrderOnEveryDatabase() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb();
             TestDatabase lite = TestDatabases.sqlite()) {
            String[] keys = {"b", "B", "a", "ä", "Z", "_", "a b", "ab"};
            List<TableChecksum> sums = new ArrayList<>();
            for (TestDatabase db : List.of(pg, maria, lite)) {
                db.execute("CREATE TABLE k (name VARCHAR(20) PRIMARY KEY, n INT)"
                        + (db == maria ? " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : ""));
                try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO k VALUES (?, ?)")) {
                    for (int i = 0; i < keys.length; i++) {
                        ps.setString(1, keys[i]);
                        ps.setInt(2, i);
                        ps.executeUpdate();
                    }
                }
                sums.add(TableChecksum.compute(db.dataSource(), "k"));
            }
            assertThat(sums.get(1)).isEqualTo(sums.get(0));
            assertThat(sums.get(2)).isEqualTo(sums.get(0));
        }
    }

    @Test
    void tablesWithoutPrimaryKeyAreOrderedByAllColumnsWithNullsLast() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb();
             TestDatabase lite = TestDatabases.sqlite()) {
            List<TableChecksum> sums = new ArrayList<>();
            for (TestDatabase db : List.of(pg, maria, lite)) {
                db.execute("CREATE TABLE log (a INT, b VARCHAR(10))",
                        "INSERT INTO log VALUES (2, 'x')", "INSERT INTO log VALUES (NULL, 'y')",
                        "INSERT INTO log VALUES (1, NULL)", "INSERT INTO log VALUES (1, 'x')",
                        "INSERT INTO log VALUES (1, 'x')");
                sums.add(TableChecksum.compute(db.dataSource(), "log"));
            }
            assertThat(sums.get(0).rowCount()).isEqualTo(5);
            assertThat(sums.get(1)).isEqualTo(sums.get(0));
            assertThat(sums.get(2)).isEqualTo(sums.get(0));
        }
    }

    @Test
    void hostileNamesAreQuotedOnEveryDatabase() throws Exception {
        String table = "we\"ird`; DROP TABLE x; -- 表 select";
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb();
             TestDatabase lite = TestDatabases.sqlite()) {
            List<TableChecksum> sums = new ArrayList<>();
            pg.execute("CREATE TABLE \"we\"\"ird`; DROP TABLE x; -- 表 select\" (\"order\" INT PRIMARY KEY, \"a\"\"b\" TEXT)");
            maria.execute("CREATE TABLE `we\"ird``; DROP TABLE x; -- 表 select` (`order` INT PRIMARY KEY, `a\"b` TEXT)");
            lite.execute("CREATE TABLE \"we\"\"ird`; DROP TABLE x; -- 表 select\" (\"order\" INT PRIMARY KEY, \"a\"\"b\" TEXT)");
            for (TestDatabase db : List.of(pg, maria, lite)) {
                try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                        db == maria ? "INSERT INTO `we\"ird``; DROP TABLE x; -- 表 select` VALUES (?, ?)"
                                : "INSERT INTO \"we\"\"ird`; DROP TABLE x; -- 表 select\" VALUES (?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setString(2, "v");
                    ps.executeUpdate();
                }
                sums.add(TableChecksum.compute(db.dataSource(), table));
            }
            assertThat(sums).allSatisfy(s -> assertThat(s.rowCount()).isEqualTo(1));
            assertThat(sums.get(1)).isEqualTo(sums.get(0));
            assertThat(sums.get(2)).isEqualTo(sums.get(0));
        }
    }

    @Test
    void refusesUnknownAndUnsafeNamesNamingThem() throws Exception {
        try (TestDatabase lite = TestDatabases.sqlite()) {
            lite.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            assertThatThrownBy(() -> TableChecksum.compute(lite.dataSource(), "T"))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("'T' does not exist")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(RecoveryException.UNKNOWN_TABLE);
            assertThatThrownBy(() -> TableChecksum.compute(lite.dataSource(), "t\u0000x"))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("control character")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(RecoveryException.INVALID_NAME);
            assertThatThrownBy(() -> TableChecksum.compute(lite.dataSource(), ""))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("empty");
        }
    }

    @Test
    void streamsLargeTablesOnPostgresAndMariaDb() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb()) {
            pg.execute("CREATE TABLE big (id INT PRIMARY KEY, v TEXT)",
                    "INSERT INTO big SELECT g, repeat('x', 100) || g FROM generate_series(1, 200000) g");
            maria.execute("CREATE TABLE big (id INT PRIMARY KEY, v TEXT)",
                    "INSERT INTO big SELECT seq, CONCAT(REPEAT('x', 100), seq) FROM seq_1_to_200000");
            TableChecksum onPg = TableChecksum.compute(pg.dataSource(), "big");
            TableChecksum onMaria = TableChecksum.compute(maria.dataSource(), "big");
            assertThat(onPg.rowCount()).isEqualTo(200_000);
            assertThat(onMaria).isEqualTo(onPg);
        }
    }
}
