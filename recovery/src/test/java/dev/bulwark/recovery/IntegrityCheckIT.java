package dev.bulwark.recovery;

import dev.bulwark.testkit.PostgresCluster;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntegrityCheckIT {

    private static void fill(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                "CREATE INDEX item_name ON item (name)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                        + " INSERT INTO item SELECT i, 'name number ' || i FROM n");
    }

    @Test
    void aHealthySqliteDatabasePassesBothDepths() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            fill(db);
            IntegrityReport quick = IntegrityCheck.run(db.dataSource(), IntegrityCheck.Depth.QUICK);
            assertThat(quick.isHealthy()).as(quick.toString()).isTrue();
            assertThat(quick.checked()).containsExactly("quick_check");
            IntegrityReport thorough = IntegrityCheck.run(db.dataSource(), IntegrityCheck.Depth.THOROUGH);
            assertThat(thorough.isHealthy()).as(thorough.toString()).isTrue();
            assertThat(thorough.checked()).containsExactly("integrity_check", "foreign_key_check");
        }
    }

    @Test
    void aDamagedSqlitePageIsReported() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            fill(db);
            Path file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
            int pageSize;
            try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                rs.next();
                pageSize = rs.getInt(1);
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                byte[] garbage = new byte[pageSize];
                new Random(1).nextBytes(garbage);
                raf.seek((raf.length() / pageSize / 2) * pageSize); // a page in the middle of the file
                raf.write(garbage);
            }
            IntegrityReport report = IntegrityCheck.run(db.dataSource(), IntegrityCheck.Depth.THOROUGH);
            assertThat(report.isHealthy()).isFalse();
            assertThat(report.problems()).first().satisfies(p -> assertThat(p.object()).isEqualTo("database"));
        }
    }

    @Test
    void postgresWithoutAmcheckSaysWhatIsMissing() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            boolean installed;
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")) {
                installed = rs.next();
            }
            IntegrityReport report = IntegrityCheck.run(db.dataSource(), IntegrityCheck.Depth.QUICK);
            if (installed) {
                assertThat(report.checked()).contains("index 't_pkey'");
            } else {
                assertThat(report.skipped()).singleElement().asString().contains("CREATE EXTENSION amcheck");
                assertThat(report.checked()).isEmpty();
            }
            assertThat(report.isHealthy()).isTrue();
        }
    }

    @Test
    void amcheckFindsADamagedPostgresIndex() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.builder().start()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(cluster.jdbcUrl());
            ds.setUser(cluster.user());
            ds.setPassword(cluster.password());
            String indexFile;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION amcheck");
                s.execute("CREATE TABLE item (id INT PRIMARY KEY, name TEXT NOT NULL)");
                s.execute("CREATE INDEX item_name ON item (name)");
                s.execute("INSERT INTO item SELECT g, 'name number ' || g FROM generate_series(1, 5000) g");
                try (ResultSet rs = s.executeQuery("SELECT pg_relation_filepath('item_name')")) {
                    rs.next();
                    indexFile = rs.getString(1);
                }
            }
            IntegrityReport healthy = IntegrityCheck.run(ds, IntegrityCheck.Depth.THOROUGH);
            assertThat(healthy.isHealthy()).as(healthy.toString()).isTrue();
            assertThat(healthy.checked()).containsExactly("index 'item_name'", "index 'item_pkey'", "table 'item'");

            cluster.stop(); // a clean shutdown writes every page; the damage then reaches the file, not a cached copy
            try (RandomAccessFile raf = new RandomAccessFile(cluster.dataDirectory().resolve(indexFile).toFile(), "rw")) {
                byte[] garbage = new byte[4000];
                new Random(2).nextBytes(garbage);
                raf.seek(8192 + 4096); // the tuple area of the first leaf page
                raf.write(garbage);
            }
            cluster.start();
            IntegrityReport damaged = IntegrityCheck.run(ds, IntegrityCheck.Depth.QUICK);
            assertThat(damaged.isHealthy()).as(damaged.toString()).isFalse();
            assertThat(damaged.problems()).extracting(IntegrityReport.Problem::object).containsOnly("index 'item_name'");
            assertThat(damaged.problems()).allSatisfy(p -> assertThat(p.sqlState()).startsWith("XX"));
        }
    }

    @Test
    void mariaDbIsRefusedWithAHint() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            assertThatThrownBy(() -> IntegrityCheck.run(db.dataSource(), IntegrityCheck.Depth.QUICK))
                    .isInstanceOf(RecoveryException.class).hasMessageContaining("CHECK TABLE");
        }
    }
}
