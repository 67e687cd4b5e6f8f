package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.testkit.FaultProxy;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A unit owns its transaction: a failed nested unit is not committed by the outer one, a read-only unit is
 * read-only on the server, SQL-level transaction control inside a unit is refused before it is sent, and
 * after a fault that ended the server's transaction the unit is not committed. Each test would find "2 rows
 * from one unit" (or a failed unit's rows) if the promise broke: the tables have no key that would stop a
 * replay.
 */
class UnitBoundariesIT {

    interface DbFactory {
        TestDatabase open() throws Exception;
    }

    static Stream<DbFactory> databases() {
        return Stream.of(TestDatabases::postgres, TestDatabases::mariadb, TestDatabases::sqlite);
    }

    static HikariDataSource pool(TestDatabase db, String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (db.user() != null) {
            c.setUsername(db.user());
            c.setPassword(db.password());
        }
        c.setMaximumPoolSize(2);
        c.setConnectionTimeout(5_000);
        c.setPoolName("boundaries-" + db.engine());
        return new HikariDataSource(c);
    }

    static void insert(Connection c, int unit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO applied (unit) VALUES (?)")) {
            p.setInt(1, unit);
            p.executeUpdate();
        }
    }

    static List<Integer> units(TestDatabase db) throws SQLException {
        List<Integer> units = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT unit FROM applied ORDER BY unit")) {
            while (rs.next()) {
                units.add(rs.getInt(1));
            }
        }
        return units;
    }

    // ---- nesting ----

    @ParameterizedTest
    @MethodSource("databases")
    void aFailedNestedUnitIsRolledBackToItsSavepointAndTheOuterGoesOn(DbFactory factory) throws Exception {
        try (TestDatabase db = factory.open(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            ds.inTransaction(c -> {
                insert(c, 1);
                IllegalStateException inner = catchThrowableOfType(IllegalStateException.class,
                        () -> ds.inTransaction(nested -> {
                            insert(nested, 2);
                            throw new IllegalStateException("business rule in the nested unit");
                        }));
                assertThat(inner).hasMessageContaining("business rule");
                ds.inTransaction(nested -> {
                    insert(nested, 3); // a nested unit that succeeds commits with the outer one
                    return null;
                });
                insert(c, 4);
                return null;
            });
            assertThat(units(db)).containsExactly(1, 3, 4);
        }
    }

    // ---- read-only ----

    @Test
    void aReadOnlyUnitIsReadOnlyOnMariadbAndItsWriteIsNeverRunTwice() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb(); FaultProxy proxy = FaultProxy.start(db.host(), db.port());
             HikariDataSource pool = pool(db, db.jdbcUrlVia(proxy.host(), proxy.port()))) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            proxy.cutOnCommit(1); // were the write let through, the lost commit would be run again blindly
            AtomicInteger attempts = new AtomicInteger();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withReadOnly(true).build(), c -> {
                        attempts.incrementAndGet();
                        insert(c, 1);
                        return null;
                    }));
            assertThat((Throwable) e).as("a write in a read-only unit fails").isNotNull();
            assertThat(e.getSQLState()).isEqualTo("25000");
            assertThat(attempts).as("a refused write is not retried").hasValue(1);
            assertThat(units(db)).isEmpty();
        }
    }

    @Test
    void aReadOnlyUnitCannotBeTurnedReadWriteByItsWork() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            AtomicInteger attempts = new AtomicInteger();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withReadOnly(true).build(), c -> {
                        attempts.incrementAndGet();
                        c.setReadOnly(false);
                        insert(c, 1);
                        return null;
                    }));
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("25000");
            SQLException sql = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withReadOnly(true).build(), c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("SET TRANSACTION READ WRITE");
                        }
                        insert(c, 2);
                        return null;
                    }));
            assertThat(sql.getSQLState()).isEqualTo("25000");
            SQLException write = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(
                    TransactionOptions.builder().withReadOnly(true).build(), c -> {
                        attempts.incrementAndGet();
                        insert(c, 3);
                        return null;
                    }));
            assertThat(write.getSQLState()).as("the server refused the write: not a failover").isEqualTo("25000");
            assertThat(attempts).as("no refusal was retried").hasValue(2);
            assertThat(units(db)).isEmpty();
        }
    }

    // ---- SQL-level transaction control ----

    @Test
    void anSqlCommitInsideAUnitIsRefusedSoALaterFaultCannotRunThePartTwice() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            AtomicInteger attempts = new AtomicInteger();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
                int attempt = attempts.incrementAndGet();
                insert(c, 1);
                try (Statement s = c.createStatement()) {
                    s.execute("/* keep */ COMMIT");
                    if (attempt == 1) {
                        s.execute("SELECT pg_terminate_backend(pg_backend_pid())"); // a real, retryable fault
                    }
                }
                return null;
            }));
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("25000");
            assertThat(attempts).hasValue(1);
            assertThat(units(db)).isEmpty();
        }
    }

    @Test
    void transactionControlHiddenInAMultiStatementStringIsRefused() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO applied VALUES (1); -- ; not a statement\n END; INSERT INTO applied VALUES (2)");
                }
                return null;
            }));
            assertThat(e.getSQLState()).isEqualTo("25000");
            SQLException batched = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.addBatch("INSERT INTO applied VALUES (1)");
                    s.addBatch("COMMIT");
                    s.executeBatch();
                }
                return null;
            }));
            assertThat(batched.getSQLState()).isEqualTo("25000");
            // Quoted text that looks like transaction control is data, not a statement.
            ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO applied SELECT 3 WHERE 'a;commit' <> $$;begin$$");
                }
                return null;
            });
            assertThat(units(db)).containsExactly(3);
        }
    }

    @Test
    void mariadbDdlWithItsImplicitCommitIsRefusedInsideAUnit() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb(); HikariDataSource pool = pool(db, db.jdbcUrl());
             Connection admin = db.connect()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)");
            BulwarkDataSource ds = Bulwark.wrap(pool);
            AtomicInteger attempts = new AtomicInteger();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ds.inTransaction(c -> {
                int attempt = attempts.incrementAndGet();
                insert(c, 1);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE side_" + attempt + " (id INT)"); // commits the INSERT on MariaDB
                    if (attempt == 1) {
                        killSession(admin, c);
                        s.executeQuery("SELECT 1").close();
                    }
                }
                return null;
            }));
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("25000");
            assertThat(attempts).hasValue(1);
            assertThat(units(db)).isEmpty();
            ds.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMPORARY TABLE scratch (id INT)"); // no implicit commit: allowed
                    s.execute("DROP TEMPORARY TABLE scratch");
                }
                return null;
            });
        }
    }

    private static void killSession(Connection admin, Connection victim) throws SQLException {
        long id;
        try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            id = rs.getLong(1);
        }
        try (Statement s = admin.createStatement()) {
            s.execute("KILL " + id);
        }
    }

    @Test
    void connectionCallsThatWouldEscapeTheUnitAreRefused() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            BulwarkDataSource ds = Bulwark.wrap(pool);
            ds.inTransaction(c -> {
                assertThat(catchThrowableOfType(SQLException.class, () -> c.setReadOnly(true)).getSQLState())
                        .isEqualTo("25000");
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE)).getSQLState())
                        .isEqualTo("25000");
                assertThat(catchThrowableOfType(SQLException.class, () -> c.abort(Runnable::run)).getSQLState())
                        .isEqualTo("25000");
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> c.unwrap(org.postgresql.jdbc.PgConnection.class)).getSQLState()).isEqualTo("25000");
                // Vendor interfaces that are not a java.sql.Connection stay reachable (COPY, large objects).
                assertThat(c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()).isNotNull();
                assertThat(c.unwrap(Connection.class)).isSameAs(c);
                return null;
            });
        }
    }

    // ---- after a fault that ended the transaction ----

    /**
     * Makes the unit's transaction the victim of a real InnoDB deadlock: the other transaction has written
     * more rows, so InnoDB rolls back the unit's. Returns the deadlock the unit's statement got.
     */
    private static SQLException deadlockVictim(TestDatabase db, Connection unit) throws Exception {
        try (Connection other = db.connect()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("UPDATE acct SET n = n + 1 WHERE id = 2");
                s.executeUpdate("INSERT INTO heavy SELECT seq FROM seq_1_to_200");
            }
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try (Statement s = other.createStatement()) {
                    s.executeUpdate("UPDATE acct SET n = n + 1 WHERE id = 1"); // waits for the unit's lock
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection watch = db.connect(); Statement s = watch.createStatement()) {
                for (int i = 0; i < 500; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.innodb_trx "
                            + "WHERE trx_state = 'LOCK WAIT'")) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            break;
                        }
                    }
                    Thread.sleep(10);
                }
            }
            SQLException deadlock = catchThrowableOfType(SQLException.class, () -> {
                try (Statement s = unit.createStatement()) {
                    s.executeUpdate("UPDATE acct SET n = n + 1 WHERE id = 2");
                }
            });
            blocked.get(10, TimeUnit.SECONDS);
            other.rollback();
            return deadlock;
        }
    }

    private static void deadlockTables(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE applied (unit INT NOT NULL)", "CREATE TABLE heavy (id BIGINT)",
                "CREATE TABLE acct (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB",
                "INSERT INTO acct VALUES (1, 0), (2, 0)");
    }

    @Test
    void aSwallowedDeadlockOnMariadbIsNotCommittedAsTheUnit() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            deadlockTables(db);
            BulwarkDataSource ds = Bulwark.wrap(pool);
            AtomicInteger attempts = new AtomicInteger();
            List<String> seen = new ArrayList<>();
            int result = ds.inTransaction(c -> {
                int attempt = attempts.incrementAndGet();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE acct SET n = n + 1 WHERE id = 1");
                }
                if (attempt == 1) {
                    try {
                        SQLException deadlock = deadlockVictim(db, c);
                        seen.add(deadlock == null ? "none" : deadlock.getSQLState());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    // the work swallows the deadlock and goes on, as if it did not matter
                }
                insert(c, attempt);
                return attempt;
            });
            assertThat(seen).as("the unit was the deadlock's victim").containsExactly("40001");
            assertThat(result).isEqualTo(2);
            assertThat(units(db)).as("only the attempt that ran whole committed").containsExactly(2);
        }
    }

    @Test
    void aFaultTheWorkRolledBackToItsOwnSavepointDoesNotEndTheUnit() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); HikariDataSource pool = pool(db, db.jdbcUrl());
             Connection other = db.connect()) {
            db.execute("CREATE TABLE applied (unit INT NOT NULL)", "CREATE TABLE acct (id INT PRIMARY KEY)",
                    "INSERT INTO acct VALUES (1)");
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeQuery("SELECT id FROM acct WHERE id = 1 FOR UPDATE").close(); // holds the row lock
            }
            BulwarkDataSource ds = Bulwark.wrap(pool);
            AtomicInteger attempts = new AtomicInteger();
            ds.inTransaction(c -> {
                attempts.incrementAndGet();
                java.sql.Savepoint beforeLock = c.setSavepoint();
                SQLException busy = catchThrowableOfType(SQLException.class, () -> {
                    try (Statement s = c.createStatement()) {
                        s.executeQuery("SELECT id FROM acct WHERE id = 1 FOR UPDATE NOWAIT").close();
                    }
                });
                assertThat(busy.getSQLState()).isEqualTo("55P03");
                c.rollback(beforeLock); // the usual PostgreSQL way to go on after a NOWAIT that failed
                insert(c, 1);
                // The same inside a nested unit: PostgreSQL accepts the rollback to its savepoint.
                catchThrowableOfType(SQLException.class, () -> ds.inTransaction(nested -> {
                    insert(nested, 2);
                    try (Statement s = nested.createStatement()) {
                        s.executeQuery("SELECT id FROM acct WHERE id = 1 FOR UPDATE NOWAIT").close();
                    }
                    return null;
                }));
                insert(c, 3);
                return null;
            });
            other.rollback();
            assertThat(attempts).hasValue(1);
            assertThat(units(db)).containsExactly(1, 3);
        }
    }

    @Test
    void aNestedUnitWhoseTransactionEndedMarksTheOuterUnitRollbackOnly() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb(); HikariDataSource pool = pool(db, db.jdbcUrl())) {
            deadlockTables(db);
            BulwarkDataSource ds = Bulwark.wrap(pool);
            AtomicInteger attempts = new AtomicInteger();
            int result = ds.inTransaction(c -> {
                int attempt = attempts.incrementAndGet();
                insert(c, attempt * 10);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE acct SET n = n + 1 WHERE id = 1");
                }
                if (attempt == 1) {
                    // The nested unit's deadlock ended the whole server transaction: its savepoint is gone.
                    catchThrowableOfType(SQLException.class, () -> ds.inTransaction(nested -> {
                        try {
                            throw deadlockVictim(db, nested);
                        } catch (SQLException deadlock) {
                            throw deadlock;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                insert(c, attempt * 10 + 1);
                return attempt;
            });
            assertThat(result).isEqualTo(2);
            assertThat(units(db)).containsExactly(20, 21);
        }
    }
}
