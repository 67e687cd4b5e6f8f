package dev.bulwark.recovery;

import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableCopyIT {

    /** customer <- orders <- line (composite key), with dates, timestamps, decimals, booleans, text and bytes. */
    static void shop(TestDatabase db, int customers) throws SQLException {
        boolean pg = db.engine() == TestDatabase.Engine.POSTGRESQL;
        db.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, born DATE)",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL REFERENCES customer (id),"
                        + " total NUMERIC(12,2), placed TIMESTAMP, paid BOOLEAN, note TEXT, blob_data "
                        + (pg ? "BYTEA" : "BLOB") + ")",
                "CREATE TABLE line (order_id BIGINT NOT NULL REFERENCES orders (id), n INT NOT NULL, sku VARCHAR(20),"
                        + " PRIMARY KEY (order_id, n))");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement cu = c.prepareStatement("INSERT INTO customer VALUES (?, ?, ?)");
                 PreparedStatement or = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement li = c.prepareStatement("INSERT INTO line VALUES (?, ?, ?)")) {
                for (int i = 1; i <= customers; i++) {
                    cu.setInt(1, i);
                    cu.setString(2, "customer " + i + (i % 7 == 0 ? " ✓ 'q'\t\"x\"" : ""));
                    if (pg) {
                        cu.setObject(3, i % 5 == 0 ? null : java.time.LocalDate.of(1950 + i % 50, 1 + i % 12, 1 + i % 28));
                    } else {
                        cu.setString(3, i % 5 == 0 ? null : java.time.LocalDate.of(1950 + i % 50, 1 + i % 12, 1 + i % 28).toString());
                    }
                    cu.addBatch();
                    for (int o = 0; o < 2; o++) {
                        long id = i * 10L + o;
                        or.setLong(1, id);
                        or.setInt(2, i);
                        or.setBigDecimal(3, new java.math.BigDecimal(i + "." + (o * 5) + "0"));
                        java.time.LocalDateTime placed = java.time.LocalDateTime.of(2024, 1, 1, 0, 0).plusMinutes(i * 37L + o);
                        if (pg) {
                            or.setObject(4, placed);
                        } else {
                            or.setString(4, placed.toString().replace('T', ' '));
                        }
                        or.setBoolean(5, o == 0);
                        or.setString(6, o == 0 ? null : "");
                        or.setBytes(7, new byte[] {(byte) i, (byte) o});
                        or.addBatch();
                        li.setLong(1, id);
                        li.setInt(2, 1);
                        li.setString(3, "sku-" + id);
                        li.addBatch();
                    }
                }
                cu.executeBatch();
                or.executeBatch();
                li.executeBatch();
            }
            c.commit();
        }
    }

    static void assertSameContent(TestDatabase source, TestDatabase target, String... tables) throws SQLException {
        for (String table : tables) {
            TableChecksum s = TableChecksum.compute(source.dataSource(), table);
            assertThat(s.rowCount()).isPositive();
            assertThat(TableChecksum.compute(target.dataSource(), table)).as(table).isEqualTo(s);
        }
    }

    @Test
    void copiesPostgresToSqliteInForeignKeyOrderAndVerifies() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase lite = TestDatabases.sqlite()) {
            shop(pg, 120);
            List<CopyProgress> events = new ArrayList<>();
            CopyReport report = TableCopy.builder(pg.dataSource(), lite.dataSource()).withChunkSize(50)
                    .withTables("line", "orders", "customer").withListener(events::add).build().run();
            assertThat(report.isSuccess()).as(report.toString()).isTrue();
            assertThat(report.tables()).extracting(CopyReport.TableResult::table).containsExactly("customer", "orders", "line");
            assertThat(report.table("orders").inserted()).isEqualTo(240);
            assertThat(report.table("orders").created()).isTrue();
            assertSameContent(pg, lite, "customer", "orders", "line");
            assertThat(events).isNotEmpty();
            CopyProgress last = events.get(events.size() - 1);
            assertThat(last.tablesDone()).isEqualTo(3);
            assertThat(last.totalRows()).isEqualTo(120 + 240 + 240);
            assertThat(events).anySatisfy(e -> assertThat(e.eta()).isNotNull());
        }
    }

    @Test
    void copiesSqliteToPostgresIntoExistingAndNewTables() throws Exception {
        try (TestDatabase lite = TestDatabases.sqlite(); TestDatabase pg = TestDatabases.postgres()) {
            shop(lite, 80);
            lite.execute("CREATE TABLE tag (name TEXT PRIMARY KEY, weight REAL)",
                    "INSERT INTO tag VALUES ('b', 1.5), ('B', 2.25), ('ä', NULL), ('a b', 0)");
            pg.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, born DATE)");
            CopyReport report = TableCopy.builder(lite.dataSource(), pg.dataSource()).withChunkSize(30).build().run();
            assertThat(report.isSuccess()).as(report.toString()).isTrue();
            assertThat(report.table("customer").created()).isFalse();
            assertThat(report.table("tag").created()).isTrue();
            assertSameContent(lite, pg, "customer", "orders", "line", "tag");
        }
    }

    @Test
    void aFailedCopyResumesFromItsCheckpointWithoutDuplicates() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb()) {
            shop(pg, 100);
            ChaosDataSource failing = ChaosDataSource.wrap(maria.dataSource(), ChaosPlan.builder()
                    .on(ChaosRule.atCommit().withCall(5).fail("08006")).build());
            assertThatThrownBy(() -> TableCopy.builder(pg.dataSource(), failing).withChunkSize(20).withCopyId("resume-test")
                    .build().run()).isInstanceOf(RecoveryException.class).hasMessageContaining("customer");
            CopyReport resumed = TableCopy.builder(pg.dataSource(), maria.dataSource()).withChunkSize(20)
                    .withCopyId("resume-test").build().run();
            assertThat(resumed.isSuccess()).as(resumed.toString()).isTrue();
            assertThat(resumed.table("customer").resumedFrom()).isEqualTo(80);
            assertThat(resumed.table("customer").inserted()).isEqualTo(20);
            assertSameContent(pg, maria, "customer", "orders", "line");
        }
    }

    @Test
    void conflictStrategiesFailSkipOrOverwrite() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.postgres()) {
            source.execute("CREATE TABLE item (id INT PRIMARY KEY, v TEXT)",
                    "INSERT INTO item SELECT g, 'source ' || g FROM generate_series(1, 10) g");
            target.execute("CREATE TABLE item (id INT PRIMARY KEY, v TEXT)",
                    "INSERT INTO item VALUES (3, 'target 3'), (7, 'target 7')");
            assertThatThrownBy(() -> TableCopy.builder(source.dataSource(), target.dataSource()).withCopyId("f").build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("2 row(s) of table 'item' already exist");
            assertThat(count(target, "item")).as("the failed chunk was rolled back").isEqualTo(2);

            CopyReport skip = TableCopy.builder(source.dataSource(), target.dataSource()).withCopyId("s")
                    .withConflictStrategy(ConflictStrategy.SKIP).build().run();
            assertThat(skip.table("item").skipped()).isEqualTo(2);
            assertThat(skip.table("item").inserted()).isEqualTo(8);
            assertThat(skip.table("item").verified()).as("the target kept its own rows 3 and 7").isFalse();
            assertThat(skip.isSuccess()).isFalse();

            CopyReport overwrite = TableCopy.builder(source.dataSource(), target.dataSource()).withCopyId("o")
                    .withConflictStrategy(ConflictStrategy.OVERWRITE).build().run();
            assertThat(overwrite.table("item").overwritten()).isEqualTo(10);
            assertThat(overwrite.isSuccess()).isTrue();
            assertSameContent(source, target, "item");
        }
    }

    @Test
    void aDryRunReportsWhatWouldChangeAndWritesNothing() throws Exception {
        try (TestDatabase source = TestDatabases.sqlite(); TestDatabase target = TestDatabases.sqlite()) {
            shop(source, 30);
            target.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, born DATE)",
                    "INSERT INTO customer VALUES (1, 'x', NULL), (2, 'y', NULL)");
            CopyReport report = TableCopy.builder(source.dataSource(), target.dataSource()).withDryRun(true)
                    .withConflictStrategy(ConflictStrategy.SKIP).withChunkSize(7).build().run();
            assertThat(report.dryRun()).isTrue();
            assertThat(report.table("customer").inserted()).isEqualTo(28);
            assertThat(report.table("customer").skipped()).isEqualTo(2);
            assertThat(report.table("orders").created()).isTrue();
            assertThat(report.table("orders").inserted()).isEqualTo(60);
            try (Connection c = target.connect(); ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME"));
                }
                assertThat(names).containsExactly("customer");
            }
            assertThat(count(target, "customer")).isEqualTo(2);
        }
    }

    @Test
    void continueOnErrorReportsFailedTablesAndTheirDependants() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE keyless (a INT UNIQUE, b TEXT)", "INSERT INTO keyless VALUES (1, 'x')",
                    "CREATE TABLE child (id INT PRIMARY KEY, a INT REFERENCES keyless (a))",
                    "CREATE TABLE fine (id INT PRIMARY KEY)", "INSERT INTO fine VALUES (1), (2)");
            CopyReport report = TableCopy.builder(source.dataSource(), target.dataSource()).withContinueOnError(true)
                    .build().run();
            assertThat(report.isSuccess()).isFalse();
            assertThat(report.table("keyless").error()).contains("has no primary key");
            assertThat(report.table("child").error()).contains("references 'keyless'");
            assertThat(report.table("fine").verified()).isTrue();
            assertThatThrownBy(() -> TableCopy.builder(source.dataSource(), target.dataSource()).withCopyId("again")
                    .build().run()).isInstanceOf(RecoveryException.class).hasMessageContaining("'keyless'");
        }
    }

    @Test
    void refusesToCopyADatabaseOntoItself() throws Exception {
        try (TestDatabase pg = TestDatabases.postgres()) {
            pg.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            assertThatThrownBy(() -> TableCopy.builder(pg.dataSource(), pg.dataSource()).build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("onto itself");
            org.postgresql.ds.PGSimpleDataSource sameViaOtherUrl = new org.postgresql.ds.PGSimpleDataSource();
            sameViaOtherUrl.setURL(pg.jdbcUrl() + "&ApplicationName=other");
            sameViaOtherUrl.setUser(pg.user());
            assertThatThrownBy(() -> TableCopy.builder(pg.dataSource(), sameViaOtherUrl).build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("visible through the source");
        }
    }

    @Test
    void refusesForeignKeyCyclesAndUnknownTablesNamingThem() throws Exception {
        try (TestDatabase source = TestDatabases.postgres(); TestDatabase target = TestDatabases.sqlite()) {
            source.execute("CREATE TABLE a (id INT PRIMARY KEY, b_id INT)", "CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a (id))",
                    "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id)");
            assertThatThrownBy(() -> TableCopy.builder(source.dataSource(), target.dataSource()).build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("cycle").hasMessageContaining("'a'")
                    .hasMessageContaining("'b'");
            assertThatThrownBy(() -> TableCopy.builder(source.dataSource(), target.dataSource())
                    .withTables("a\"; DROP TABLE b; --").build().run())
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> TableCopy.builder(source.dataSource(), target.dataSource()).withTables("bad\nname"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
        }
    }

    @Test
    void hostileNamesAreQuotedFromPostgresToMariaDb() throws Exception {
        String parent = "par\"ent`; DROP TABLE x; --";
        try (TestDatabase pg = TestDatabases.postgres(); TestDatabase maria = TestDatabases.mariadb()) {
            pg.execute("CREATE TABLE \"par\"\"ent`; DROP TABLE x; --\" (\"ké y\" VARCHAR(30) PRIMARY KEY, \"or\"\"der\" TEXT)",
                    "CREATE TABLE \"select\" (\"from\" INT PRIMARY KEY, \"p\" VARCHAR(30) REFERENCES \"par\"\"ent`; DROP TABLE x; --\" (\"ké y\"))",
                    "INSERT INTO \"par\"\"ent`; DROP TABLE x; --\" SELECT 'k' || g, 'v' || g FROM generate_series(1, 40) g",
                    "INSERT INTO \"select\" SELECT g, 'k' || g FROM generate_series(1, 40) g");
            CopyReport report = TableCopy.builder(pg.dataSource(), maria.dataSource()).withChunkSize(7).build().run();
            assertThat(report.isSuccess()).as(report.toString()).isTrue();
            assertThat(report.tables()).extracting(CopyReport.TableResult::table).containsExactly(parent, "select");
            assertSameContent(pg, maria, parent, "select");
        }
    }

    static long count(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
